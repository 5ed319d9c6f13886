//! Evidence files' and uploads' refusals: part of the API's one error type (`Error::File`),
//! in a room of their own.

use axum::http::StatusCode;
use thidua_domain::files::SizeRefusal;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// 415: the content is none of the accepted kinds, whatever its name says.
    #[error("this file is not one of the accepted kinds: PDF, JPEG, PNG, WebP, DOCX, XLSX, ODT or ODS")]
    Type,
    /// 422: a file of 0 bytes.
    #[error("the file is empty")]
    Empty,
    /// 413: over the per-file limit.
    #[error("the file is larger than {} MiB", .max >> 20)]
    TooLarge { max: u64 },
    /// 413: the sheet's files would hold more than the per-sheet limit.
    #[error("the sheet's files would hold more than {} MiB ({} MiB are used)", .max >> 20, .used >> 20)]
    SheetFull { max: u64, used: u64 },
    /// 422: no usable name (`filename` metadata missing or empty).
    #[error("the file has no name")]
    Name,
    /// 422: the criterion or line the file is for is not on this sheet.
    #[error("the file must be for a criterion or a bonus or deduction line of this sheet")]
    Target,
    /// 404: no upload under way at this address (finished, cancelled, expired, or another user's).
    #[error("there is no upload under way at this address")]
    UploadNotFound,
    /// 404: no such file, or not one this user may see.
    #[error("there is no such file")]
    FileNotFound,
    /// 409: the PATCH's `Upload-Offset` is not where the upload stands (`Upload-Offset` of the
    /// answer says where): ask with HEAD and go on from there.
    #[error("the upload stands at byte {0}: resume from there")]
    Offset(u64),
    /// 412: a tus request without `Tus-Resumable: 1.0.0`.
    #[error("this server speaks tus 1.0.0 (Tus-Resumable: 1.0.0)")]
    TusVersion,
    /// 413: more bytes than the upload's declared length.
    #[error("more bytes than the upload's declared length")]
    PastLength,
    /// 416: a `Range` outside the file.
    #[error("the range asked for is outside the file")]
    Range { size: u64 },
}

impl FileError {
    pub fn status(&self) -> StatusCode {
        match self {
            FileError::Type => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            FileError::Empty | FileError::Name | FileError::Target => StatusCode::UNPROCESSABLE_ENTITY,
            FileError::TooLarge { .. } | FileError::SheetFull { .. } | FileError::PastLength => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            FileError::UploadNotFound | FileError::FileNotFound => StatusCode::NOT_FOUND,
            FileError::Offset(_) => StatusCode::CONFLICT,
            FileError::TusVersion => StatusCode::PRECONDITION_FAILED,
            FileError::Range { .. } => StatusCode::RANGE_NOT_SATISFIABLE,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            FileError::Type => "file_type",
            FileError::Empty => "file_empty",
            FileError::TooLarge { .. } => "file_too_large",
            FileError::SheetFull { .. } => "sheet_files_full",
            FileError::Name => "file_name",
            FileError::Target => "file_target",
            FileError::UploadNotFound => "upload_not_found",
            FileError::FileNotFound => "file_not_found",
            FileError::Offset(_) => "upload_offset",
            FileError::TusVersion => "tus_version",
            FileError::PastLength => "upload_past_length",
            FileError::Range { .. } => "range_not_satisfiable",
        }
    }
}

impl From<SizeRefusal> for FileError {
    fn from(r: SizeRefusal) -> Self {
        match r {
            SizeRefusal::Empty => FileError::Empty,
            SizeRefusal::TooLarge { max } => FileError::TooLarge { max },
            SizeRefusal::SheetFull { max, used } => FileError::SheetFull { max, used },
        }
    }
}
