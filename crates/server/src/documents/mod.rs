//! The year's documents from the data (issue 22): Word files in the shape Decree 30/2020/NĐ-CP
//! gives administrative documents (`page.rs`), written with `docx-rs`, and the same file as PDF
//! by LibreOffice's headless conversion (Debian's `libreoffice-writer-nogui`), so the two can
//! never differ. Generating reads only. Each document: a module of its own (`minutes.rs`).

pub mod council;
pub mod minutes;
mod page;
pub mod proposal;
pub mod report;

use std::path::Path;
use std::time::Duration;

/// The longest a conversion to PDF may take (LibreOffice starts for each one: 2–5 s here).
const CONVERSION_TIME: Duration = Duration::from_secs(90);

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("cannot write the document: {0}")]
    Write(String),
    /// LibreOffice is not installed, or failed: the Word file is still there.
    #[error("the PDF cannot be made on this server: {0}")]
    Pdf(String),
}

/// A built document as the bytes of its `.docx`.
pub fn docx_bytes(docx: docx_rs::Docx) -> Result<Vec<u8>, DocumentError> {
    let mut out = std::io::Cursor::new(Vec::new());
    docx.build().pack(&mut out).map_err(|e| DocumentError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

/// The PDF of a `.docx`, by `soffice --headless --convert-to pdf` in a directory of its own.
/// One conversion at a time per server, on one LibreOffice profile kept for the process: a
/// fresh profile makes LibreOffice restart itself on its first run (exit 81, no output), and
/// two instances must never share one. A conversion that fails is tried once more.
pub async fn pdf_of(docx: &[u8]) -> Result<Vec<u8>, DocumentError> {
    static ONE_AT_A_TIME: tokio::sync::Mutex<Option<std::path::PathBuf>> = tokio::sync::Mutex::const_new(None);
    let fail = |what: String| DocumentError::Pdf(what);
    let mut profile = ONE_AT_A_TIME.lock().await;
    if profile.is_none() {
        *profile = Some(tempdir().map_err(|e| fail(e.to_string()))?);
    }
    let profile = profile.clone().unwrap_or_default();
    let dir = tempdir().map_err(|e| fail(e.to_string()))?;
    let mut result = convert(&dir, &profile, docx).await;
    if matches!(&result, Err(DocumentError::Pdf(why)) if !why.contains("not installed")) {
        result = convert(&dir, &profile, docx).await;
    }
    let _ = tokio::fs::remove_dir_all(&dir).await;
    result
}

async fn convert(dir: &Path, profile: &Path, docx: &[u8]) -> Result<Vec<u8>, DocumentError> {
    let fail = |what: String| DocumentError::Pdf(what);
    let input = dir.join("document.docx");
    tokio::fs::write(&input, docx).await.map_err(|e| fail(e.to_string()))?;
    let profile = format!("-env:UserInstallation=file://{}", profile.display());
    let run = tokio::process::Command::new("soffice")
        .arg(profile)
        .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(&input)
        .kill_on_drop(true)
        .output();
    let output = match tokio::time::timeout(CONVERSION_TIME, run).await {
        Err(_) => return Err(fail(format!("LibreOffice took longer than {} s", CONVERSION_TIME.as_secs()))),
        Ok(Err(e)) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail(
                "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui".to_owned(),
            ))
        }
        Ok(Err(e)) => return Err(fail(e.to_string())),
        Ok(Ok(output)) => output,
    };
    match tokio::fs::read(dir.join("document.pdf")).await {
        Ok(pdf) if output.status.success() => Ok(pdf),
        _ => Err(fail(format!(
            "LibreOffice failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        ))),
    }
}

/// A new directory of this process's own under the temporary directory.
fn tempdir() -> std::io::Result<std::path::PathBuf> {
    let mut bytes = [0u8; 8];
    getrandom::getrandom(&mut bytes).map_err(std::io::Error::other)?;
    let name: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let dir = std::env::temp_dir().join(format!("thidua-document-{name}"));
    std::fs::create_dir(&dir)?;
    Ok(dir)
}
