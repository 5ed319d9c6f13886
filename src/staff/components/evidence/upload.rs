//! One upload, from the file chosen to the file attached: checked on the device first (size,
//! kind by content), offered to be shrunk when it is a large photo, sent in chunks with the tus
//! protocol, and resumed from the server's offset after any failure of the network (it waits
//! and tries again while the page is open) or, after a reload, when the person chooses the same
//! file again (the upload's address is kept on the device).

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde::{Deserialize, Serialize};
use thidua_domain::evidence::FileTarget;
use thidua_domain::files::{check_size, clean_name, SizeRefusal};

use super::browser;
use super::Evidence;
use crate::api::ApiError;
use crate::staff::api::files as api;

/// Bytes in one PATCH: small enough that a dropped 3G link loses little, large enough that the
/// requests cost little.
const CHUNK: f64 = 1024.0 * 1024.0;
/// A photo larger than this is offered to be shrunk.
const SHRINK_FROM: u64 = 1024 * 1024;

#[derive(Clone, Debug, PartialEq)]
pub enum Status {
    /// A large photo: shrink it first, or send it as it is?
    OfferShrink,
    Sending,
    /// The network failed: trying again after a pause.
    Waiting,
    Done,
    Failed(Problem),
    /// Interrupted by a reload: the same file must be chosen again.
    NeedsFile,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    Kind,
    Size(SizeRefusal),
    /// The sheet is no longer the unit's to edit.
    Frozen,
    /// The line or criterion is not on the saved sheet yet.
    Target,
    NotSame,
    Other(String),
}

/// An upload as the page shows it.
#[derive(Clone, Copy)]
pub struct Upload {
    pub key: u64,
    pub target: FileTarget,
    pub name: StoredValue<String>,
    pub size: u64,
    pub sent: RwSignal<u64>,
    pub status: RwSignal<Status>,
    file: StoredValue<Option<SendWrapper<web_sys::Blob>>>,
    location: StoredValue<Option<String>>,
    /// When this attempt began, and the bytes the server had then (for the time left).
    since: StoredValue<(f64, u64)>,
    cancelled: StoredValue<bool>,
    modified: f64,
}

impl Upload {
    /// Whether it still takes room on the sheet.
    pub fn counts(&self) -> bool {
        !matches!(self.status.get_untracked(), Status::Done | Status::Failed(_))
    }

    /// Seconds left at the pace of this attempt, once there is a pace to go by.
    pub fn seconds_left(&self) -> Option<u64> {
        let (started, from) = self.since.get_value();
        let sent = self.sent.get();
        let elapsed = (browser::now_ms() - started) / 1000.0;
        if sent <= from || elapsed < 1.0 {
            return None;
        }
        let rate = (sent - from) as f64 / elapsed;
        Some(((self.size - sent) as f64 / rate).ceil() as u64)
    }
}

/// What the device keeps of an upload under way, to resume it after a reload.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
struct Kept {
    location: String,
    name: String,
    size: u64,
    modified: f64,
    target: String,
}

fn storage_key(ev: Evidence) -> String {
    format!("thidua.uploads.{}.{}", ev.user, ev.sheet)
}

fn kept(ev: Evidence) -> Vec<Kept> {
    LocalStorage::get(storage_key(ev)).unwrap_or_default()
}

fn keep(ev: Evidence, list: &[Kept]) {
    if list.is_empty() {
        LocalStorage::delete(storage_key(ev));
    } else {
        let _ = LocalStorage::set(storage_key(ev), list);
    }
}

/// The uploads a reload interrupted, waiting for their file to be chosen again.
pub fn restore_interrupted(ev: Evidence) {
    for k in kept(ev) {
        let Some(target) = FileTarget::parse(&k.target) else { continue };
        let up = new_upload(ev, target, k.name.clone(), k.size, k.modified, None, Status::NeedsFile);
        up.location.set_value(Some(k.location.clone()));
        ev.uploads.update(|u| u.push(up));
        leptos::task::spawn_local(async move {
            match api::offset(&k.location).await {
                Ok(at) => up.sent.set(at),
                // Finished or expired meanwhile: nothing to resume.
                Err(ApiError::NotFound { .. }) => forget(ev, up),
                Err(_) => {}
            }
        });
    }
}

fn new_upload(
    ev: Evidence,
    target: FileTarget,
    name: String,
    size: u64,
    modified: f64,
    file: Option<web_sys::Blob>,
    status: Status,
) -> Upload {
    Upload {
        key: ev.next_key(),
        target,
        name: StoredValue::new(name),
        size,
        sent: RwSignal::new(0),
        status: RwSignal::new(status),
        file: StoredValue::new(file.map(SendWrapper::new)),
        location: StoredValue::new(None),
        since: StoredValue::new((browser::now_ms(), 0)),
        cancelled: StoredValue::new(false),
        modified,
    }
}

/// The person chose `file` for `target`: check it here, then send it (or offer to shrink it).
pub fn choose(ev: Evidence, target: FileTarget, file: web_sys::File) {
    let name = clean_name(&file.name()).unwrap_or_else(|| "tep".to_owned());
    let size = file.size() as u64;
    let used = ev.used();
    let up = new_upload(ev, target, name, size, file.last_modified(), Some(file.into()), Status::Sending);
    ev.uploads.update(|u| u.push(up));
    if let Err(refusal) = check_size(size, used, ev.limits) {
        up.status.set(Status::Failed(Problem::Size(refusal)));
        return;
    }
    leptos::task::spawn_local(async move {
        let Some(blob) = up.file.with_value(|f| f.as_ref().map(|f| (**f).clone())) else { return };
        match browser::kind(&blob).await {
            None => up.status.set(Status::Failed(Problem::Kind)),
            Some(kind) if kind.is_image() && size > SHRINK_FROM => up.status.set(Status::OfferShrink),
            Some(_) => run(ev, up).await,
        }
    });
}

/// The person answered the offer: shrink the photo first, or send it as it is.
pub fn answer_shrink(ev: Evidence, up: Upload, shrink: bool) {
    up.status.set(Status::Sending);
    leptos::task::spawn_local(async move {
        if shrink {
            let original = up.file.with_value(|f| f.as_ref().map(|f| (**f).clone()));
            if let Some(smaller) = match original {
                Some(o) => browser::shrink(&o).await,
                None => None,
            } {
                let size = smaller.size() as u64;
                let name = up.name.with_value(|n| jpeg_name(n));
                let replaced = new_upload(ev, up.target, name, size, up.modified, Some(smaller), Status::Sending);
                ev.uploads.update(|list| {
                    if let Some(slot) = list.iter_mut().find(|u| u.key == up.key) {
                        *slot = replaced;
                    }
                });
                return run(ev, replaced).await;
            }
        }
        run(ev, up).await
    });
}

/// `ảnh chụp.png` → `ảnh chụp.jpg`: a shrunk photo is a JPEG.
fn jpeg_name(name: &str) -> String {
    let stem = name.rsplit_once('.').map(|(s, _)| s).unwrap_or(name);
    format!("{stem}.jpg")
}

/// Resumes an interrupted upload with the file chosen again, if it is the same file.
pub fn resume_with(ev: Evidence, up: Upload, file: web_sys::File) {
    let same = file.size() as u64 == up.size && file.last_modified() == up.modified;
    if !same {
        up.status.set(Status::Failed(Problem::NotSame));
        return;
    }
    up.file.set_value(Some(SendWrapper::new(file.into())));
    up.status.set(Status::Sending);
    leptos::task::spawn_local(run(ev, up));
}

/// Tries again after a refusal that may pass (the network, the server).
pub fn retry(ev: Evidence, up: Upload) {
    up.status.set(Status::Sending);
    leptos::task::spawn_local(run(ev, up));
}

/// Cancels: the server forgets the bytes, the page the upload.
pub fn cancel(ev: Evidence, up: Upload) {
    up.cancelled.set_value(true);
    let location = up.location.get_value();
    forget(ev, up);
    if let Some(location) = location {
        leptos::task::spawn_local(async move {
            let _ = api::cancel(&location).await;
        });
    }
}

/// Takes the upload off the page and off the device.
pub fn forget(ev: Evidence, up: Upload) {
    ev.uploads.update(|u| u.retain(|x| x.key != up.key));
    if let Some(location) = up.location.get_value() {
        let mut list = kept(ev);
        list.retain(|k| k.location != location);
        keep(ev, &list);
    }
}

/// Sends the file from where the server stands until it is attached, waiting out failures of
/// the network.
async fn run(ev: Evidence, up: Upload) {
    let Some(blob) = up.file.with_value(|f| f.as_ref().map(|f| (**f).clone())) else { return };
    let mut pause = 1000;
    loop {
        if up.cancelled.get_value() {
            return;
        }
        match attempt(ev, up, &blob).await {
            Ok(()) => return,
            // Another request was still storing bytes: ask again where the upload stands.
            Err(ApiError::Conflict { code }) if code == "upload_offset" => browser::sleep(500).await,
            Err(ApiError::Network) | Err(ApiError::Server { status: 500..=599, .. }) => {
                up.status.set(Status::Waiting);
                browser::sleep(pause).await;
                pause = (pause * 2).min(30_000);
                up.status.set(Status::Sending);
            }
            Err(e) => {
                up.status.set(Status::Failed(problem(&e)));
                if let Some(location) = up.location.get_value() {
                    let mut list = kept(ev);
                    list.retain(|k| k.location != location);
                    keep(ev, &list);
                }
                return;
            }
        }
    }
}

/// One attempt: create the upload if needed, ask where it stands, send the rest (an empty
/// PATCH when every byte is in but the file was not attached: the server completes it then).
async fn attempt(ev: Evidence, up: Upload, blob: &web_sys::Blob) -> Result<(), ApiError> {
    let location = match up.location.get_value() {
        Some(l) => l,
        None => {
            let name = up.name.get_value();
            let location = api::create(ev.sheet, up.target, &name, up.size).await?;
            if up.cancelled.get_value() {
                // Cancelled while it was being created: the server forgets it too.
                let _ = api::cancel(&location).await;
                return Ok(());
            }
            up.location.set_value(Some(location.clone()));
            let mut list = kept(ev);
            list.push(Kept {
                location: location.clone(),
                name,
                size: up.size,
                modified: up.modified,
                target: up.target.key(),
            });
            keep(ev, &list);
            location
        }
    };
    let mut at = match api::offset(&location).await {
        Ok(at) => at,
        Err(ApiError::NotFound { .. }) => {
            forget_kept(ev, &location);
            up.location.set_value(None);
            // Finished by an answer that never arrived? Then the file is on the sheet already.
            if up.sent.get_untracked() > 0 {
                if let Ok(files) = api::files(ev.sheet).await {
                    let attached = files
                        .iter()
                        .any(|f| f.target == up.target && f.size == up.size && up.name.with_value(|n| *n == f.name));
                    if attached {
                        ev.files.set(files);
                        ev.uploads.update(|u| u.retain(|x| x.key != up.key));
                        return Ok(());
                    }
                }
            }
            // Expired on the server: start again.
            up.sent.set(0);
            return Err(ApiError::Network);
        }
        Err(e) => return Err(e),
    };
    up.sent.set(at);
    up.since.set_value((browser::now_ms(), at));
    loop {
        if up.cancelled.get_value() {
            return Ok(());
        }
        let end = (at as f64 + CHUNK).min(up.size as f64);
        let chunk = blob.slice_with_f64_and_f64(at as f64, end).map_err(|_| ApiError::Encode)?;
        let sent = api::send(&location, at, &chunk).await?;
        at = sent.offset;
        up.sent.set(at);
        if sent.file.is_some() {
            up.status.set(Status::Done);
            forget_kept(ev, &location);
            ev.refresh();
            // The attached file now shows in the list: the upload's line goes.
            ev.uploads.update(|u| u.retain(|x| x.key != up.key));
            return Ok(());
        }
        if at >= up.size {
            // Whole but not attached, and no refusal said why: not what the server does.
            return Err(ApiError::Decode);
        }
    }
}

fn forget_kept(ev: Evidence, location: &str) {
    let mut list = kept(ev);
    list.retain(|k| k.location != location);
    keep(ev, &list);
}

fn problem(e: &ApiError) -> Problem {
    match e {
        ApiError::Conflict { code } if matches!(code.as_str(), "wrong_state" | "year_closed" | "published") => {
            Problem::Frozen
        }
        ApiError::Invalid => Problem::Target,
        ApiError::Server { status: 415, .. } => Problem::Kind,
        ApiError::Server { status: 413, code } if code == "sheet_files_full" || code == "file_too_large" => {
            Problem::Other(code.clone())
        }
        other => Problem::Other(format!("{other}")),
    }
}
