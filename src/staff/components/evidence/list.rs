//! A criterion's or line's files: pictures as thumbnails, PDFs opening in the browser's own
//! viewer, other kinds as downloads; "no evidence" at a glance; removal while the unit may
//! edit. And the dossier's download.

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::evidence::{EvidenceFile, FileTarget};
use thidua_domain::files::FileKind;

use super::{size_text, use_evidence};
use crate::i18n::*;
use crate::staff::api::files as api;
use crate::text::tr;

/// The files of `target`; with `links` (the evidence links beside them), "no evidence" shows
/// only when there is neither.
#[component]
pub fn FileList(target: FileTarget, #[prop(optional)] links: usize) -> impl IntoView {
    let Some(ev) = use_evidence() else { return ().into_any() };
    let files = move || ev.files_of(target);
    view! {
        {move || {
            let list = files();
            if list.is_empty() {
                Either::Left(
                    (links == 0 && !ev.editable.get())
                        .then(|| view! { <p class="evidence-none" data-testid="no-evidence">{tr(|l| td_string!(l, evidence.none))}</p> }),
                )
            } else {
                Either::Right(view! {
                    <ul class="evidence-files" data-testid=format!("files-{}", target.key())>
                        {list.into_iter().map(|file| view! { <FileItem file /> }).collect_view()}
                    </ul>
                })
            }
        }}
    }
    .into_any()
}

#[component]
fn FileItem(file: EvidenceFile) -> impl IntoView {
    let i18n = use_i18n();
    let ev = use_evidence();
    let href = api::href(file.id);
    let size = file.size;
    let meta = move || format!("{} · {}", file.kind.as_str().to_uppercase(), size_text(size, i18n.get_locale()));
    // PDFs and pictures open in a tab of their own (the browser's viewer); the rest download.
    let opens = matches!(file.kind, FileKind::Pdf) || file.kind.is_image();
    let thumbnail = file.kind.is_image().then(|| {
        let src = href.clone();
        view! { <img class="evidence-files__thumb" src=src alt="" loading="lazy" width="72" height="72" /> }
    });
    let (id, name) = (file.id, file.name.clone());
    let remove_label = {
        let name = name.clone();
        move || t_string!(i18n, evidence.remove, name = name.clone()).to_string()
    };
    let removing = RwSignal::new(false);
    let failed = RwSignal::new(false);
    let remove = move |_| {
        let Some(ev) = ev else { return };
        removing.set(true);
        leptos::task::spawn_local(async move {
            match api::remove(id).await {
                Ok(()) => ev.files.update(|f| f.retain(|f| f.id != id)),
                Err(_) => failed.set(true),
            }
            removing.set(false);
        });
    };
    let editable = move || ev.is_some_and(|ev| ev.editable.get());
    view! {
        <li class="evidence-files__item" data-testid="evidence-file">
            {thumbnail}
            <span class="evidence-files__text">
                <a
                    href=href.clone()
                    target=if opens { "_blank" } else { "_self" }
                    rel="noopener"
                    download=(!opens).then(|| name.clone())
                >
                    {name.clone()}
                </a>
                <span class="evidence-files__meta">{meta}</span>
            </span>
            <Show when=editable>
                <button type="button" class="button button--quiet" aria-label=remove_label.clone() disabled=move || removing.get() on:click=remove>
                    {tr(|l| td_string!(l, evidence.remove_short))}
                </button>
            </Show>
            <Show when=move || failed.get()>
                <span class="field__error" role="alert">{tr(|l| td_string!(l, evidence.err_remove))}</span>
            </Show>
        </li>
    }
}

/// The sheet's dossier (its CSV and every file) as a ZIP.
#[component]
pub fn DossierLink() -> impl IntoView {
    let Some(ev) = use_evidence() else { return ().into_any() };
    let i18n = use_i18n();
    let href = move || {
        let lang = match i18n.get_locale() {
            Locale::vi => "vi",
            Locale::en => "en",
        };
        api::dossier_href(ev.sheet, lang)
    };
    view! {
        <p class="dossier">
            <a class="button button--secondary" href=href download data-testid="dossier">
                {tr(|l| td_string!(l, evidence.dossier))}
            </a>
        </p>
    }
    .into_any()
}
