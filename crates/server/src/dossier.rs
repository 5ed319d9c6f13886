//! A unit's dossier (hồ sơ minh chứng) as one ZIP: its sheet as CSV and every evidence file,
//! named by what it is evidence for and its own name (UTF-8 names, Vietnamese intact). Written
//! as a stream while the files are read chunk by chunk: a bloc's dossiers of hundreds of MB
//! never sit in memory. Entries are stored, not compressed: scans and photos are compressed
//! already, and the server's time goes to the bytes.

use std::collections::BTreeSet;
use std::io::Write;
use std::sync::{Arc, Mutex};

use axum::body::{Body, Bytes};
use futures_util::StreamExt;
use thidua_domain::criteria::CriteriaTable;
use thidua_domain::sheet::{Adjustment, ScoreSheet};
use tokio::sync::mpsc;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::db::Db;
use crate::evidence::{ChunkStore, ContentId};
use crate::export::{inert, Lang};
use crate::store::files::FileRow;

/// One entry of the ZIP.
pub struct Entry {
    pub path: String,
    pub source: Source,
}

pub enum Source {
    Bytes(Vec<u8>),
    Content { id: ContentId, size: u64 },
}

/// The entries of one sheet's dossier under `folder` (empty: at the top): `sheet.csv` and
/// `files/<target> - <name>`, each name once.
pub fn sheet_entries(
    folder: &str,
    table: &CriteriaTable,
    sheet: &ScoreSheet,
    files: &[FileRow],
    lang: Lang,
) -> Result<Vec<Entry>, csv::Error> {
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut named: Vec<(&FileRow, String)> = Vec::new();
    for file in files {
        // A criterion's code is staff's text: no folder of its own in the ZIP.
        let label =
            file.target().map(|t| t.label(table)).unwrap_or_else(|| file.target.clone()).replace(['/', '\\'], "_");
        let path = unique(&mut taken, &format!("{folder}files/{label} - {}", file.name.replace(['/', '\\'], "_")));
        named.push((file, path));
    }
    let mut entries = vec![Entry {
        path: format!("{folder}sheet.csv"),
        source: Source::Bytes(sheet_csv(table, sheet, &named, lang)?),
    }];
    entries.extend(
        named
            .into_iter()
            .map(|(f, path)| Entry { path, source: Source::Content { id: f.content_id, size: f.size as u64 } }),
    );
    Ok(entries)
}

/// `name`, or `name (2)` before its extension when taken already.
fn unique(taken: &mut BTreeSet<String>, name: &str) -> String {
    let mut candidate = name.to_owned();
    let mut n = 2;
    while taken.contains(&candidate) {
        candidate = match name.rsplit_once('.') {
            Some((stem, ext)) if !ext.contains('/') => format!("{stem} ({n}).{ext}"),
            _ => format!("{name} ({n})"),
        };
        n += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

/// The sheet as CSV (UTF-8 with a BOM, text made inert): each scorable criterion with its
/// scores, note, links and files, then the bonus and deduction lines with theirs.
fn sheet_csv(
    table: &CriteriaTable,
    sheet: &ScoreSheet,
    files: &[(&FileRow, String)],
    lang: Lang,
) -> Result<Vec<u8>, csv::Error> {
    let vi = lang == Lang::Vi;
    let header = if vi {
        ["Mã", "Nội dung", "Điểm tối đa", "Tự chấm", "Thẩm định", "Ghi chú", "Liên kết minh chứng", "Tệp minh chứng"]
    } else {
        ["Code", "Item", "Max points", "Self score", "Verified score", "Note", "Evidence links", "Evidence files"]
    };
    let mut out = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    out.write_record(header)?;
    let files_of = |key: String| {
        files
            .iter()
            .filter(|(f, _)| f.target == key)
            .map(|(_, p)| p.rsplit('/').next().unwrap_or(p).to_owned())
            .collect::<Vec<_>>()
            .join(" | ")
    };
    for c in table.leaves() {
        let score = sheet.scores.iter().find(|s| s.criterion_id == c.id);
        let points = |p: Option<thidua_domain::points::Points>| p.map(|p| p.to_string()).unwrap_or_default();
        out.write_record([
            inert(&c.code).into_owned(),
            inert(&c.title).into_owned(),
            c.max_points.to_string(),
            points(score.and_then(|s| s.self_score)),
            points(score.and_then(|s| s.verified_score)),
            inert(score.map(|s| s.note.as_str()).unwrap_or_default()).into_owned(),
            inert(&score.map(|s| s.evidence.join(" | ")).unwrap_or_default()).into_owned(),
            inert(&files_of(format!("criterion:{}", c.id))).into_owned(),
        ])?;
    }
    let lines = |kind: &str, lines: &[Adjustment], out: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        for (i, line) in lines.iter().enumerate() {
            let label = match (kind, vi) {
                ("bonus", true) => format!("Điểm thưởng {}", i + 1),
                ("bonus", false) => format!("Bonus {}", i + 1),
                (_, true) => format!("Điểm trừ {}", i + 1),
                (_, false) => format!("Deduction {}", i + 1),
            };
            out.write_record([
                label,
                inert(&line.reason).into_owned(),
                String::new(),
                line.points.to_string(),
                String::new(),
                String::new(),
                String::new(),
                inert(&files_of(format!("{kind}:{i}"))).into_owned(),
            ])?;
        }
        Ok(())
    };
    lines("bonus", &sheet.bonuses, &mut out)?;
    lines("deduction", &sheet.deductions, &mut out)?;
    out.into_inner().map_err(|e| e.into_error().into())
}

/// What the ZIP writer writes into: taken out after each step and sent on.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Pending {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// The ZIP of `entries` as a response body, written while it is sent (at most a chunk or two
/// ahead of the client).
pub fn zip_body(store: impl ChunkStore, db: Db, entries: Vec<Entry>) -> Body {
    let (tx, rx) = mpsc::channel::<std::io::Result<Bytes>>(2);
    tokio::spawn(async move {
        if let Err(e) = write_zip(&store, &db, entries, &tx).await {
            tracing::error!(error = %e, "a dossier ZIP was cut short");
            let _ = tx.send(Err(std::io::Error::other(e.to_string()))).await;
        }
    });
    // Fused: a layer may poll again after the end (the compression layer does).
    Body::from_stream(tokio_stream(rx).fuse())
}

fn tokio_stream(
    rx: mpsc::Receiver<std::io::Result<Bytes>>,
) -> impl futures_util::Stream<Item = std::io::Result<Bytes>> {
    futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) })
}

#[derive(Debug, thiserror::Error)]
enum ZipError {
    #[error(transparent)]
    Zip(#[from] zip::result::ZipError),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("the client went away")]
    Gone,
}

async fn write_zip(
    store: &impl ChunkStore,
    db: &Db,
    entries: Vec<Entry>,
    tx: &mpsc::Sender<std::io::Result<Bytes>>,
) -> Result<(), ZipError> {
    let pending = Pending::default();
    let mut zip = ZipWriter::new_stream(pending.clone());
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let send = |bytes: Vec<u8>| async move {
        if bytes.is_empty() {
            return Ok(());
        }
        tx.send(Ok(Bytes::from(bytes))).await.map_err(|_| ZipError::Gone)
    };
    for entry in entries {
        zip.start_file(entry.path, options)?;
        match entry.source {
            Source::Bytes(bytes) => zip.write_all(&bytes)?,
            Source::Content { id, size } => {
                let mut chunks = std::pin::pin!(store.read(db, id, 0, size));
                while let Some(piece) = chunks.next().await {
                    zip.write_all(&piece?)?;
                    send(pending.take()).await?;
                }
            }
        }
        send(pending.take()).await?;
    }
    zip.finish()?;
    send(pending.take()).await
}
