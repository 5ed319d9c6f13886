//! Where evidence files' bytes live: behind one small interface, `ChunkStore`, so that the
//! handlers never see how. The reference store keeps them in the database itself (table
//! `file_chunks`, both engines), in chunks of at most `CHUNK` bytes that are written, read and
//! hashed one at a time: a file is never whole in memory, servers on one PostgreSQL stay
//! stateless, and a backup of the database is a backup of the evidence.
//!
//! A content (`file_contents`) is named by its SHA-256 once complete and shared by every sheet
//! file with the same bytes. An object store would implement `ChunkStore` with a multipart
//! upload per content (its parts the chunks) and ranged GETs; the metadata stays in the
//! database (README, "Evidence files").

use std::future::Future;

use axum::body::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use sha2::{Digest, Sha256};
use thidua_domain::files::{sniff, FileKind, HEAD_BYTES, TAIL_BYTES};

use crate::db::{Conn, Db};

/// A content's id (`file_contents.id`).
pub type ContentId = i64;

/// The most bytes in one stored chunk (and so in memory for one upload or download).
pub const CHUNK: usize = 512 * 1024;

/// The bytes of contents. `conn` is the caller's transaction: a chunk and the upload's offset
/// are stored together, or neither.
pub trait ChunkStore: Clone + Send + Sync + 'static {
    /// Stores `data` (at most `CHUNK` bytes) as the bytes of `content` from offset `start`.
    fn append(
        &self,
        conn: &mut Conn,
        content: ContentId,
        start: u64,
        data: &[u8],
    ) -> impl Future<Output = sqlx::Result<()>> + Send;
    /// The bytes of `content` from `from` to `to` (exclusive), chunk by chunk.
    fn read(
        &self,
        db: &Db,
        content: ContentId,
        from: u64,
        to: u64,
    ) -> impl Stream<Item = sqlx::Result<Bytes>> + Send + 'static;
    /// Forgets every byte of `content`.
    fn remove(&self, conn: &mut Conn, content: ContentId) -> impl Future<Output = sqlx::Result<()>> + Send;
}

/// The reference store: chunks as rows of `file_chunks`.
#[derive(Clone, Copy, Debug, Default)]
pub struct DbChunks;

impl ChunkStore for DbChunks {
    async fn append(&self, conn: &mut Conn, content: ContentId, start: u64, data: &[u8]) -> sqlx::Result<()> {
        sqlx::query("INSERT INTO file_chunks (content_id, start, data) VALUES ($1, $2, $3)")
            .bind(content)
            .bind(start as i64)
            .bind(data)
            .execute(conn)
            .await?;
        Ok(())
    }

    fn read(
        &self,
        db: &Db,
        content: ContentId,
        from: u64,
        to: u64,
    ) -> impl Stream<Item = sqlx::Result<Bytes>> + Send + 'static {
        // One query per chunk, each on its own: no transaction held open while a slow client
        // reads. A complete content's chunks never change, so the answer is the same.
        let db = db.clone();
        stream::unfold(Some((from, true)), move |state| {
            let db = db.clone();
            async move {
                let (at, first) = state?;
                if at >= to {
                    return None;
                }
                // The first chunk is the one that holds `from`; then each next one.
                let sql = if first {
                    "SELECT start, data FROM file_chunks WHERE content_id = $1 AND start <= $2 ORDER BY start DESC LIMIT 1"
                } else {
                    "SELECT start, data FROM file_chunks WHERE content_id = $1 AND start = $2"
                };
                let row: sqlx::Result<Option<(i64, Vec<u8>)>> =
                    sqlx::query_as(sql).bind(content).bind(at as i64).fetch_optional(&db).await;
                match row {
                    Err(e) => Some((Err(e), None)),
                    // Fewer bytes than the content claims: the caller sees the answer end early.
                    Ok(None) => Some((Err(sqlx::Error::RowNotFound), None)),
                    Ok(Some((start, data))) => {
                        let start = start as u64;
                        let end = start + data.len() as u64;
                        if end <= at || start > at {
                            return Some((Err(sqlx::Error::RowNotFound), None));
                        }
                        let (cut_from, cut_to) = ((at - start) as usize, (to.min(end) - start) as usize);
                        let piece = Bytes::from(data).slice(cut_from..cut_to);
                        Some((Ok(piece), Some((end.min(to), false))))
                    }
                }
            }
        })
    }

    async fn remove(&self, conn: &mut Conn, content: ContentId) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM file_chunks WHERE content_id = $1").bind(content).execute(conn).await?;
        Ok(())
    }
}

/// What a complete content is: its hash, and its kind judged by its first and last bytes.
pub struct Digested {
    pub sha256: String,
    pub kind: Option<FileKind>,
}

/// Reads `content` (`size` bytes) once, chunk by chunk: its SHA-256 and its kind.
pub async fn digest(store: &impl ChunkStore, db: &Db, content: ContentId, size: u64) -> sqlx::Result<Digested> {
    let mut hasher = Sha256::new();
    let mut head: Vec<u8> = Vec::with_capacity(HEAD_BYTES);
    let mut tail: Vec<u8> = Vec::with_capacity(TAIL_BYTES * 2);
    let mut seen = 0u64;
    let mut chunks = std::pin::pin!(store.read(db, content, 0, size));
    while let Some(piece) = chunks.next().await {
        let piece = piece?;
        hasher.update(&piece);
        if head.len() < HEAD_BYTES {
            head.extend_from_slice(&piece[..piece.len().min(HEAD_BYTES - head.len())]);
        }
        tail.extend_from_slice(&piece);
        if tail.len() > TAIL_BYTES {
            tail.drain(..tail.len() - TAIL_BYTES);
        }
        seen += piece.len() as u64;
    }
    if seen != size {
        return Err(sqlx::Error::RowNotFound);
    }
    Ok(Digested { sha256: hex(&hasher.finalize()), kind: sniff(&head, &tail) })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
