//! Evidence files on a score sheet: what the unit attaches to each criterion and each bonus or
//! deduction line (`attach.rs`, uploads that survive the network: `upload.rs`), and what the
//! verifier sees beside each self-score (`list.rs`). The sheet page provides one `Evidence`.

mod attach;
mod browser;
mod list;
mod upload;

pub use attach::AttachFiles;
pub use list::{DossierLink, FileList};

use leptos::prelude::*;
use thidua_domain::auth::UserId;
use thidua_domain::evidence::{EvidenceFile, FileTarget};
use thidua_domain::files::FileLimits;
use thidua_domain::sheet_edit::SheetId;

use crate::staff::api::files as api;
use crate::staff::components::editor::Editor;
use upload::Upload;

/// A sheet's files and the uploads under way, shared by every criterion of the page.
#[derive(Clone, Copy)]
pub struct Evidence {
    pub sheet: SheetId,
    user: UserId,
    pub files: RwSignal<Vec<EvidenceFile>>,
    uploads: RwSignal<Vec<Upload>>,
    pub limits: FileLimits,
    /// The unit may add and remove files now (its side, the sheet open to it).
    pub editable: Signal<bool>,
    next: StoredValue<u64>,
}

impl Evidence {
    /// The sheet's files as the editor's view has them (a save brings them again: a line's
    /// files move with it), and the uploads a reload interrupted.
    pub fn provide(editor: Editor, user: UserId) -> Evidence {
        let (sheet, files, limits) = editor.view.with_untracked(|v| (v.id, v.files.clone(), v.file_limits));
        let files = RwSignal::new(files);
        Effect::new(move |_| {
            let latest = editor.view.with(|v| v.files.clone());
            files.set(latest);
        });
        let editable = Signal::derive(move || {
            editor.side == crate::staff::draft::Side::SelfAssessment && editor.view.with(|v| v.permissions.edit_self)
        });
        let evidence = Evidence {
            sheet,
            user,
            files,
            uploads: RwSignal::new(Vec::new()),
            limits,
            editable,
            next: StoredValue::new(0),
        };
        upload::restore_interrupted(evidence);
        provide_context(evidence);
        evidence
    }

    pub fn files_of(&self, target: FileTarget) -> Vec<EvidenceFile> {
        self.files.with(|f| f.iter().filter(|f| f.target == target).cloned().collect())
    }

    /// Bytes the sheet's files hold and its uploads under way will add.
    fn used(&self) -> u64 {
        let attached: u64 = self.files.with_untracked(|f| f.iter().map(|f| f.size).sum());
        let pending: u64 = self.uploads.with_untracked(|u| u.iter().filter(|u| u.counts()).map(|u| u.size).sum());
        attached + pending
    }

    fn next_key(&self) -> u64 {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        key
    }

    /// Reads the sheet's files again (after an upload or a removal).
    fn refresh(self) {
        leptos::task::spawn_local(async move {
            if let Ok(files) = api::files(self.sheet).await {
                self.files.set(files);
            }
        });
    }
}

pub fn use_evidence() -> Option<Evidence> {
    use_context::<Evidence>()
}

/// "1,5 MB" / "1.5 MB", "820 KB": sizes as people read them, in the reader's language.
pub fn size_text(bytes: u64, locale: crate::i18n::Locale) -> String {
    let (value, unit) = if bytes >= 1024 * 1024 {
        (bytes as f64 / (1024.0 * 1024.0), "MB")
    } else {
        ((bytes as f64 / 1024.0).max(0.1), "KB")
    };
    let text = if value >= 10.0 { format!("{value:.0}") } else { format!("{value:.1}") };
    let text = match locale {
        crate::i18n::Locale::vi => text.replace('.', ","),
        crate::i18n::Locale::en => text,
    };
    format!("{text} {unit}")
}
