//! Evidence files' records: uploads under way, the contents they become (deduplicated by
//! SHA-256), and the files attached to sheets. The bytes themselves go through
//! `crate::evidence::ChunkStore`.

use sqlx::FromRow;
use thidua_domain::evidence::{EvidenceFile, FileTarget};
use thidua_domain::files::FileKind;
use thidua_domain::sheet_edit::SheetId;
use time::OffsetDateTime;

use crate::clock::timestamp;
use crate::db::Conn;
use crate::evidence::{ChunkStore, ContentId};

/// An upload under way.
#[derive(Clone, Debug, FromRow)]
pub struct Upload {
    pub id: String,
    pub content_id: ContentId,
    pub sheet_id: SheetId,
    pub user_id: i64,
    pub target: String,
    pub name: String,
    pub length: i64,
    pub received: i64,
    pub created_at: String,
}

/// A file attached to a sheet, with its content's facts.
#[derive(Clone, Debug, FromRow)]
pub struct FileRow {
    pub id: i64,
    pub sheet_id: SheetId,
    pub target: String,
    pub content_id: ContentId,
    pub name: String,
    pub size: i64,
    pub sha256: String,
    pub kind: String,
    pub attached_at: String,
    pub user_name: String,
}

impl FileRow {
    pub fn kind(&self) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.as_str() == self.kind)
    }

    pub fn target(&self) -> Option<FileTarget> {
        FileTarget::parse(&self.target)
    }

    pub fn to_api(&self) -> Option<EvidenceFile> {
        Some(EvidenceFile {
            id: self.id,
            target: self.target()?,
            name: self.name.clone(),
            kind: self.kind()?,
            size: self.size as u64,
            sha256: self.sha256.clone(),
            attached_at: self.attached_at.clone(),
            attached_by: self.user_name.clone(),
        })
    }
}

const FILE_COLUMNS: &str =
    "f.id, f.sheet_id, f.target, f.content_id, f.name, c.size, c.sha256, c.kind, f.attached_at, \
                            u.display_name AS user_name";

/// The bytes a sheet's files hold, and the bytes its uploads under way will add (all but
/// `except`): what the per-sheet limit counts.
pub async fn used_bytes(conn: &mut Conn, sheet: SheetId, except: Option<&str>) -> sqlx::Result<u64> {
    let attached: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(c.size), 0) AS BIGINT) FROM sheet_files f JOIN file_contents c ON c.id = f.content_id
         WHERE f.sheet_id = $1",
    )
    .bind(sheet)
    .fetch_one(&mut *conn)
    .await?;
    let pending: i64 = sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(length), 0) AS BIGINT) FROM uploads WHERE sheet_id = $1 AND id <> $2",
    )
    .bind(sheet)
    .bind(except.unwrap_or(""))
    .fetch_one(&mut *conn)
    .await?;
    Ok((attached + pending).max(0) as u64)
}

/// Starts an upload: an empty content of `length` bytes and the upload that fills it.
#[allow(clippy::too_many_arguments)]
pub async fn create_upload(
    conn: &mut Conn,
    id: &str,
    sheet: SheetId,
    user: i64,
    target: FileTarget,
    name: &str,
    length: u64,
    now: OffsetDateTime,
) -> sqlx::Result<()> {
    let at = timestamp(now);
    let content: i64 = sqlx::query_scalar(
        "INSERT INTO file_contents (sha256, size, kind, created_at) VALUES (NULL, $1, NULL, $2) RETURNING id",
    )
    .bind(length as i64)
    .bind(&at)
    .fetch_one(&mut *conn)
    .await?;
    sqlx::query(
        "INSERT INTO uploads (id, content_id, sheet_id, user_id, target, name, length, received, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
    )
    .bind(id)
    .bind(content)
    .bind(sheet)
    .bind(user)
    .bind(target.key())
    .bind(name)
    .bind(length as i64)
    .bind(&at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn upload(conn: &mut Conn, id: &str) -> sqlx::Result<Option<Upload>> {
    sqlx::query_as(
        "SELECT id, content_id, sheet_id, user_id, target, name, length, received, created_at FROM uploads WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Stores `data` as the upload's bytes from `from`, if `from` is still where it stands (the
/// optimistic check of two PATCHes at once); false otherwise and nothing stored.
pub async fn append(
    conn: &mut Conn,
    store: &impl ChunkStore,
    upload: &Upload,
    from: u64,
    data: &[u8],
) -> sqlx::Result<bool> {
    let moved = sqlx::query("UPDATE uploads SET received = received + $1 WHERE id = $2 AND received = $3")
        .bind(data.len() as i64)
        .bind(&upload.id)
        .bind(from as i64)
        .execute(&mut *conn)
        .await?;
    if moved.rows_affected() != 1 {
        return Ok(false);
    }
    store.append(conn, upload.content_id, from, data).await?;
    Ok(true)
}

/// Ends an upload without a file: the upload, its bytes and its content go.
pub async fn drop_upload(conn: &mut Conn, store: &impl ChunkStore, upload: &Upload) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM uploads WHERE id = $1").bind(&upload.id).execute(&mut *conn).await?;
    forget_content_if_unused(conn, store, upload.content_id).await
}

/// A sheet's uploads under way.
pub async fn uploads_of(conn: &mut Conn, sheet: SheetId) -> sqlx::Result<Vec<Upload>> {
    sqlx::query_as(
        "SELECT id, content_id, sheet_id, user_id, target, name, length, received, created_at FROM uploads
         WHERE sheet_id = $1",
    )
    .bind(sheet)
    .fetch_all(conn)
    .await
}

/// Points an upload under way at another target (its line moved).
pub async fn retarget_upload(conn: &mut Conn, upload: &str, target: FileTarget) -> sqlx::Result<()> {
    sqlx::query("UPDATE uploads SET target = $1 WHERE id = $2").bind(target.key()).bind(upload).execute(conn).await?;
    Ok(())
}

/// Uploads started before `before` that never finished (their sender has gone).
pub async fn expired_uploads(conn: &mut Conn, before: OffsetDateTime) -> sqlx::Result<Vec<Upload>> {
    sqlx::query_as(
        "SELECT id, content_id, sheet_id, user_id, target, name, length, received, created_at FROM uploads
         WHERE created_at < $1",
    )
    .bind(timestamp(before))
    .fetch_all(conn)
    .await
}

/// Completes an upload's content under its hash: when another content has the same bytes,
/// this one's go and that one is shared. Answers the content to attach, or `None` when the
/// upload is no longer there whole (cancelled, or completed by another request meanwhile).
pub async fn seal(
    conn: &mut Conn,
    store: &impl ChunkStore,
    upload: &Upload,
    sha256: &str,
    kind: FileKind,
) -> sqlx::Result<Option<ContentId>> {
    let taken = sqlx::query("DELETE FROM uploads WHERE id = $1 AND received = length")
        .bind(&upload.id)
        .execute(&mut *conn)
        .await?;
    if taken.rows_affected() != 1 {
        return Ok(None);
    }
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM file_contents WHERE sha256 = $1")
        .bind(sha256)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(existing) = existing {
        forget_content_if_unused(conn, store, upload.content_id).await?;
        return Ok(Some(existing));
    }
    sqlx::query("UPDATE file_contents SET sha256 = $1, kind = $2 WHERE id = $3")
        .bind(sha256)
        .bind(kind.as_str())
        .bind(upload.content_id)
        .execute(&mut *conn)
        .await?;
    Ok(Some(upload.content_id))
}

/// Attaches a complete content to a sheet; answers the file's id.
pub async fn attach(
    conn: &mut Conn,
    sheet: SheetId,
    target: FileTarget,
    content: ContentId,
    name: &str,
    user: i64,
    now: OffsetDateTime,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "INSERT INTO sheet_files (sheet_id, target, content_id, name, user_id, attached_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(sheet)
    .bind(target.key())
    .bind(content)
    .bind(name)
    .bind(user)
    .bind(timestamp(now))
    .fetch_one(conn)
    .await
}

/// A sheet's files, in the order they were attached.
pub async fn of_sheet(conn: &mut Conn, sheet: SheetId) -> sqlx::Result<Vec<FileRow>> {
    sqlx::query_as(&format!(
        "SELECT {FILE_COLUMNS} FROM sheet_files f JOIN file_contents c ON c.id = f.content_id
         JOIN users u ON u.id = f.user_id WHERE f.sheet_id = $1 ORDER BY f.id"
    ))
    .bind(sheet)
    .fetch_all(conn)
    .await
}

pub async fn file(conn: &mut Conn, id: i64) -> sqlx::Result<Option<FileRow>> {
    sqlx::query_as(&format!(
        "SELECT {FILE_COLUMNS} FROM sheet_files f JOIN file_contents c ON c.id = f.content_id
         JOIN users u ON u.id = f.user_id WHERE f.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await
}

/// Takes a file off its sheet; its bytes go when no other file or upload shares them.
pub async fn detach(conn: &mut Conn, store: &impl ChunkStore, file: &FileRow) -> sqlx::Result<()> {
    sqlx::query("DELETE FROM sheet_files WHERE id = $1").bind(file.id).execute(&mut *conn).await?;
    forget_content_if_unused(conn, store, file.content_id).await
}

/// Moves a file to another target of its sheet (a line that moved).
pub async fn retarget(conn: &mut Conn, file: i64, target: FileTarget) -> sqlx::Result<()> {
    sqlx::query("UPDATE sheet_files SET target = $1 WHERE id = $2").bind(target.key()).bind(file).execute(conn).await?;
    Ok(())
}

async fn forget_content_if_unused(conn: &mut Conn, store: &impl ChunkStore, content: ContentId) -> sqlx::Result<()> {
    let users: i64 = sqlx::query_scalar(
        "SELECT (SELECT COUNT(*) FROM sheet_files WHERE content_id = $1) + (SELECT COUNT(*) FROM uploads WHERE content_id = $1)",
    )
    .bind(content)
    .fetch_one(&mut *conn)
    .await?;
    if users == 0 {
        store.remove(conn, content).await?;
        sqlx::query("DELETE FROM file_contents WHERE id = $1").bind(content).execute(&mut *conn).await?;
    }
    Ok(())
}
