//! The engine behind both score-sheet forms. Every keystroke goes into a signal of its own
//! row (so only that row and the totals update), onto the device at once, and to the server
//! after a short pause. Failures keep the input and say so: offline, a server error, an
//! expired session (sign in again in place), or someone else's newer save (a conflict the
//! person resolves).

use std::collections::BTreeMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use thidua_domain::criteria::{CriteriaTable, CriterionId};
use thidua_domain::sheet::{sheet_totals, ScoreKind, SheetTotals};
use thidua_domain::sheet_edit::{changes, Change, SheetView};

use crate::api::ApiError;
use crate::staff::api;
use crate::staff::draft::{self, AdjustmentDraft, RowDraft, SheetDraft, Side};
use crate::staff::input::decimal_comma;

/// What the person is told about their input, always visible.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SaveStatus {
    /// The server holds exactly what is on screen.
    Saved,
    /// Typed, kept on the device, about to be sent.
    Pending,
    Saving,
    /// The server cannot be reached (or took too long): kept on this device, retrying.
    Offline,
    /// The server answered an error: kept on this device, retrying.
    ServerError,
    /// Some fields are wrong: kept on this device, not sent until they are fixed.
    NeedsFixing,
    /// The session expired: kept on this device until the person signs in again.
    SignedOut,
    /// Someone saved a newer version: the person chooses.
    Conflict,
    /// The sheet was submitted or approved meanwhile: kept on this device, not sent.
    Locked,
    /// The browser refused to keep the draft (storage full or disabled).
    NotKept,
}

/// One criterion's inputs.
#[derive(Clone, Copy)]
pub struct RowState {
    pub score: RwSignal<String>,
    pub text: RwSignal<String>,
    pub evidence: RwSignal<String>,
}

/// One bonus or deduction line; `key` keeps its inputs in place when another line goes.
#[derive(Clone, Copy)]
pub struct AdjustmentState {
    pub key: u64,
    pub reason: RwSignal<String>,
    pub points: RwSignal<String>,
}

impl AdjustmentState {
    fn new(key: u64, d: &AdjustmentDraft) -> Self {
        AdjustmentState { key, reason: RwSignal::new(d.reason.clone()), points: RwSignal::new(d.points.clone()) }
    }

    /// Lines for a draft's bonuses and deductions, keyed from `first_key` on.
    fn lines(d: &SheetDraft, first_key: u64) -> (Vec<AdjustmentState>, Vec<AdjustmentState>) {
        let mut key = first_key;
        let mut make = |list: &[AdjustmentDraft]| {
            list.iter()
                .map(|a| {
                    key += 1;
                    AdjustmentState::new(key, a)
                })
                .collect::<Vec<_>>()
        };
        let bonuses = make(&d.bonuses);
        (bonuses, make(&d.deductions))
    }
}

#[derive(Clone, Copy)]
pub struct Editor {
    pub side: Side,
    pub table: StoredValue<CriteriaTable>,
    /// One per scored criterion (the table's leaves).
    pub rows: StoredValue<BTreeMap<CriterionId, RowState>>,
    pub bonuses: RwSignal<Vec<AdjustmentState>>,
    pub deductions: RwSignal<Vec<AdjustmentState>>,
    /// The server's sheet as last seen.
    pub view: RwSignal<SheetView>,
    base_version: StoredValue<i64>,
    pub status: RwSignal<SaveStatus>,
    /// The server's newer sheet while a conflict waits for the person's choice.
    pub conflict: RwSignal<Option<SheetView>>,
    key: StoredValue<String>,
    /// Counts edits, so a save knows whether more came in while it was on the way.
    edits: StoredValue<u64>,
    in_flight: StoredValue<bool>,
    next_key: StoredValue<u64>,
    retry: StoredValue<u32>,
}

const SAVE_AFTER: Duration = Duration::from_millis(600);
const RETRY_MAX_MS: u32 = 30_000;

impl Editor {
    /// Starts from the draft on this device if there is one, else from the server's sheet.
    pub fn new(view: SheetView, side: Side, user: thidua_domain::auth::UserId) -> Editor {
        let key = draft::storage_key(user, view.id, side);
        let server = SheetDraft::from_view(&view, side, decimal_comma());
        let local = draft::load(&key).filter(|d| d.dirty);
        let start = local.clone().unwrap_or_else(|| server.clone());
        let table = view.criteria.clone();
        let rows = table
            .leaves()
            .map(|leaf| {
                let d = start.rows.get(&leaf.id).cloned().unwrap_or_default();
                let row = RowState {
                    score: RwSignal::new(d.score),
                    text: RwSignal::new(d.text),
                    evidence: RwSignal::new(d.evidence),
                };
                (leaf.id, row)
            })
            .collect();
        let n = (start.bonuses.len() + start.deductions.len()) as u64;
        let (bonuses, deductions) = AdjustmentState::lines(&start, 0);
        let editor = Editor {
            side,
            table: StoredValue::new(table),
            rows: StoredValue::new(rows),
            bonuses: RwSignal::new(bonuses),
            deductions: RwSignal::new(deductions),
            view: RwSignal::new(view.clone()),
            base_version: StoredValue::new(start.base_version),
            status: RwSignal::new(SaveStatus::Saved),
            conflict: RwSignal::new(None),
            key: StoredValue::new(key),
            edits: StoredValue::new(0),
            in_flight: StoredValue::new(false),
            next_key: StoredValue::new(n + 1),
            retry: StoredValue::new(0),
        };
        if let Some(local) = local {
            if local.same_content(&server) {
                draft::remove(&editor.key.get_value());
            } else if local.base_version == view.version {
                // Typed here but not yet saved (a reload, a crash, a dropped network): send it.
                editor.status.set(SaveStatus::Pending);
                editor.schedule(Duration::ZERO);
            } else {
                // Saved by someone else since: the person decides.
                editor.conflict.set(Some(view));
                editor.status.set(SaveStatus::Conflict);
            }
        }
        editor
    }

    pub fn row(&self, id: CriterionId) -> Option<RowState> {
        self.rows.with_value(|r| r.get(&id).copied())
    }

    /// May this person change this side of the sheet now?
    pub fn editable(&self) -> bool {
        self.view.with(|v| match self.side {
            Side::SelfAssessment => v.permissions.edit_self,
            Side::Verification => v.permissions.edit_verification,
        })
    }

    /// Everything as typed, read without tracking.
    pub fn snapshot(&self) -> SheetDraft {
        let rows = self.rows.with_value(|rows| {
            rows.iter()
                .map(|(&id, r)| {
                    let d = RowDraft {
                        score: r.score.get_untracked(),
                        text: r.text.get_untracked(),
                        evidence: r.evidence.get_untracked(),
                    };
                    (id, d)
                })
                .filter(|(_, d)| *d != RowDraft::default())
                .collect()
        });
        let lines = |list: RwSignal<Vec<AdjustmentState>>| {
            list.get_untracked()
                .iter()
                .map(|a| AdjustmentDraft { reason: a.reason.get_untracked(), points: a.points.get_untracked() })
                .collect()
        };
        SheetDraft {
            base_version: self.base_version.get_value(),
            rows,
            bonuses: lines(self.bonuses),
            deductions: lines(self.deductions),
            dirty: true,
        }
    }

    /// The totals of what is on screen, recomputed when any score or line changes.
    pub fn totals(&self) -> Memo<SheetTotals> {
        let editor = *self;
        Memo::new(move |_| {
            // Track every score and line; the values themselves are read in `snapshot`.
            editor.rows.with_value(|rows| rows.values().for_each(|r| r.score.track()));
            for list in [editor.bonuses, editor.deductions] {
                list.with(|l| l.iter().for_each(|a| a.points.track()));
            }
            let base = editor.view.with_untracked(|v| v.sheet.clone());
            let sheet = editor.snapshot().applied_to(&base, editor.side);
            let kind = match editor.side {
                Side::SelfAssessment => ScoreKind::SelfAssessed,
                Side::Verification => ScoreKind::Verified,
            };
            editor.table.with_value(|t| sheet_totals(t, &sheet, kind))
        })
    }

    /// An input's handler: what is typed goes into `target`, then as every edit does.
    pub fn on_input(&self, target: RwSignal<String>) -> impl Fn(leptos::ev::Event) + Copy + 'static {
        let editor = *self;
        move |ev| {
            target.set(event_target_value(&ev));
            editor.changed();
        }
    }

    /// Called on every edit: keep it on the device now, send it soon.
    pub fn changed(&self) {
        self.edits.update_value(|n| *n += 1);
        let kept = draft::store(&self.key.get_value(), &self.snapshot());
        let status = self.status.get_untracked();
        if matches!(status, SaveStatus::SignedOut | SaveStatus::Conflict | SaveStatus::Locked) {
            return;
        }
        self.status.set(if kept { SaveStatus::Pending } else { SaveStatus::NotKept });
        self.schedule(SAVE_AFTER);
    }

    pub fn add_line(&self, deductions: bool) {
        let key = self.next_key.get_value();
        self.next_key.set_value(key + 1);
        let list = if deductions { self.deductions } else { self.bonuses };
        list.update(|l| l.push(AdjustmentState::new(key, &AdjustmentDraft::default())));
        self.changed();
    }

    pub fn remove_line(&self, deductions: bool, key: u64) {
        let list = if deductions { self.deductions } else { self.bonuses };
        list.update(|l| l.retain(|a| a.key != key));
        self.changed();
    }

    /// Saves after `delay` unless another edit comes first (which schedules its own save).
    fn schedule(&self, delay: Duration) {
        let editor = *self;
        let at = self.edits.get_value();
        set_timeout(
            move || {
                if editor.edits.try_get_value() == Some(at) {
                    editor.save_now();
                }
            },
            delay,
        );
    }

    fn retry_later(&self) {
        let ms = self.retry.get_value().max(1_000).saturating_mul(2).min(RETRY_MAX_MS);
        self.retry.set_value(ms);
        let editor = *self;
        set_timeout(
            move || {
                if matches!(editor.status.try_get_untracked(), Some(SaveStatus::Offline | SaveStatus::ServerError)) {
                    editor.save_now();
                }
            },
            Duration::from_millis(ms.into()),
        );
    }

    /// Sends what is on screen now, unless a save is already on its way (it sends again
    /// when it returns if more was typed).
    pub fn save_now(&self) {
        if self.in_flight.get_value() || !self.editable() {
            return;
        }
        let snapshot = self.snapshot();
        let edits_at_send = self.edits.get_value();
        let id = self.view.with_untracked(|v| v.id);
        let request = self.table.with_value(|t| match self.side {
            Side::SelfAssessment => snapshot.to_self_input(t).map(Request::SelfAssessment),
            Side::Verification => snapshot.to_verification_input(t).map(Request::Verification),
        });
        let request = match request {
            Ok(r) => r,
            Err(_) => {
                self.status.set(SaveStatus::NeedsFixing);
                return;
            }
        };
        self.in_flight.set_value(true);
        self.status.set(SaveStatus::Saving);
        let editor = *self;
        spawn_local(async move {
            let result = match request {
                Request::SelfAssessment(input) => api::save_self(id, input).await,
                Request::Verification(input) => api::save_verification(id, input).await,
            };
            if editor.in_flight.try_set_value(false).is_some() {
                // The form is gone (the person left the page); the draft stays on the device.
                return;
            }
            editor.saved(result, edits_at_send).await;
        });
    }

    async fn saved(&self, result: Result<SheetView, ApiError>, edits_at_send: u64) {
        match result {
            Ok(view) => {
                self.retry.set_value(0);
                self.base_version.set_value(view.version);
                self.view.set(view);
                if self.edits.get_value() == edits_at_send {
                    draft::remove(&self.key.get_value());
                    self.status.set(SaveStatus::Saved);
                } else {
                    // More was typed meanwhile: keep it, with the new base, and send it.
                    draft::store(&self.key.get_value(), &self.snapshot());
                    self.status.set(SaveStatus::Pending);
                    self.schedule(Duration::ZERO);
                }
            }
            Err(ApiError::Network) => {
                self.status.set(SaveStatus::Offline);
                self.retry_later();
            }
            Err(ApiError::Server { .. } | ApiError::Decode | ApiError::Encode) => {
                self.status.set(SaveStatus::ServerError);
                self.retry_later();
            }
            Err(ApiError::Unauthenticated) => self.status.set(SaveStatus::SignedOut),
            Err(ApiError::Invalid) => self.status.set(SaveStatus::NeedsFixing),
            Err(ApiError::Conflict { code }) => {
                let id = self.view.with_untracked(|v| v.id);
                match api::sheet(id).await {
                    Ok(server) if code == "stale_version" => {
                        self.conflict.set(Some(server));
                        self.status.set(SaveStatus::Conflict);
                    }
                    Ok(server) => {
                        self.view.set(server);
                        self.status.set(SaveStatus::Locked);
                    }
                    Err(_) => {
                        self.status.set(SaveStatus::Offline);
                        self.retry_later();
                    }
                }
            }
            Err(ApiError::Forbidden | ApiError::NotFound { .. } | ApiError::TooManyAttempts) => {
                self.status.set(SaveStatus::Locked)
            }
        }
    }

    /// After signing in again, or when the network is back.
    pub fn resume(&self) {
        if matches!(
            self.status.get_untracked(),
            SaveStatus::SignedOut | SaveStatus::Offline | SaveStatus::ServerError | SaveStatus::Pending
        ) {
            self.retry.set_value(0);
            self.status.set(SaveStatus::Pending);
            self.save_now();
        }
    }

    /// The fields where this person's input and the server's newer sheet differ.
    pub fn conflict_changes(&self) -> Vec<Change> {
        let Some(server) = self.conflict.get() else { return Vec::new() };
        let mine = self.snapshot().applied_to(&server.sheet, self.side);
        self.table.with_value(|t| changes(t, &server.sheet, &mine))
    }

    /// Conflict resolved in favour of what is on screen: it overwrites the newer version.
    pub fn keep_mine(&self) {
        if let Some(server) = self.conflict.get_untracked() {
            self.base_version.set_value(server.version);
            self.view.set(server);
            self.conflict.set(None);
            self.status.set(SaveStatus::Pending);
            draft::store(&self.key.get_value(), &self.snapshot());
            self.save_now();
        }
    }

    /// Conflict resolved in favour of the newer version: the screen shows it.
    pub fn take_theirs(&self) {
        if let Some(server) = self.conflict.get_untracked() {
            let d = SheetDraft::from_view(&server, self.side, decimal_comma());
            self.rows.with_value(|rows| {
                for (id, r) in rows {
                    let row = d.rows.get(id).cloned().unwrap_or_default();
                    r.score.set(row.score);
                    r.text.set(row.text);
                    r.evidence.set(row.evidence);
                }
            });
            let n = self.next_key.get_value();
            let (bonuses, deductions) = AdjustmentState::lines(&d, n);
            self.bonuses.set(bonuses);
            self.deductions.set(deductions);
            self.next_key.set_value(n + (d.bonuses.len() + d.deductions.len()) as u64 + 1);
            self.base_version.set_value(server.version);
            self.view.set(server);
            self.conflict.set(None);
            draft::remove(&self.key.get_value());
            self.status.set(SaveStatus::Saved);
        }
    }

    /// After a state change (submit, return, approve) the server's sheet is the truth.
    pub fn replace_view(&self, view: SheetView) {
        self.base_version.set_value(view.version);
        self.view.set(view);
        draft::remove(&self.key.get_value());
        self.status.set(SaveStatus::Saved);
    }
}

enum Request {
    SelfAssessment(thidua_domain::sheet_edit::SelfAssessmentInput),
    Verification(thidua_domain::sheet_edit::VerificationInput),
}
