//! Attaching files to one criterion or line: the file picker and the camera, and each upload
//! under way with its progress, the time left, cancel, and what went wrong in the person's
//! language, next to the field.

use leptos::either::EitherOf4;
use leptos::prelude::*;
use thidua_domain::evidence::FileTarget;
use thidua_domain::files::{FileKind, SizeRefusal};
use wasm_bindgen::JsCast;

use super::upload::{self, Problem, Status, Upload};
use super::{size_text, use_evidence, Evidence};
use crate::i18n::*;
use crate::text::tr;

/// What the file picker offers: the accepted kinds by extension and media type.
fn accept() -> String {
    FileKind::ALL
        .iter()
        .flat_map(|k| [format!(".{}", k.extension()), k.mime().to_owned()])
        .collect::<Vec<_>>()
        .join(",")
}

/// The files chosen in an `<input type=file>`, then cleared (the same file can be chosen again).
fn chosen(ev: &leptos::ev::Event) -> Vec<web_sys::File> {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
        return Vec::new();
    };
    let files = input.files().map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect()).unwrap_or_default();
    input.set_value("");
    files
}

/// The pickers (while the unit may edit) and the uploads for `target`.
#[component]
pub fn AttachFiles(target: FileTarget, id: String) -> impl IntoView {
    let Some(ev) = use_evidence() else { return ().into_any() };
    let i18n = use_i18n();
    let uploads = move || ev.uploads.with(|u| u.iter().filter(|u| u.target == target).copied().collect::<Vec<_>>());
    let max = ev.limits.per_file >> 20;
    let hint_id = format!("{id}-hint");
    let (file_id, photo_id) = (format!("{id}-file"), format!("{id}-photo"));
    let pick = move |e: leptos::ev::Event| {
        for file in chosen(&e) {
            upload::choose(ev, target, file);
        }
    };
    view! {
        <div class="attach" data-testid=format!("attach-{}", target.key())>
            <Show when=move || ev.editable.get()>
                <div class="attach__pickers">
                    <span class="file-pick">
                        <input
                            id=file_id.clone()
                            class="file-pick__input"
                            type="file"
                            multiple
                            accept=accept()
                            aria-describedby=hint_id.clone()
                            on:change=pick
                        />
                        <label for=file_id.clone() class="button button--secondary">
                            {tr(|l| td_string!(l, evidence.attach))}
                        </label>
                    </span>
                    <span class="file-pick">
                        <input
                            id=photo_id.clone()
                            class="file-pick__input"
                            type="file"
                            accept="image/*"
                            capture="environment"
                            aria-describedby=hint_id.clone()
                            on:change=pick
                        />
                        <label for=photo_id.clone() class="button button--secondary">
                            {tr(|l| td_string!(l, evidence.photo))}
                        </label>
                    </span>
                </div>
                <p class="attach__hint" id=hint_id.clone()>{move || t_string!(i18n, evidence.allowed, max).to_string()}</p>
            </Show>
            <ul class="uploads" aria-live="polite">
                <For each=uploads key=|u| u.key let:up>
                    <UploadLine ev up />
                </For>
            </ul>
        </div>
    }
    .into_any()
}

#[component]
fn UploadLine(ev: Evidence, up: Upload) -> impl IntoView {
    let i18n = use_i18n();
    let name = up.name.get_value();
    let label = {
        let name = name.clone();
        move || t_string!(i18n, evidence.uploading, name = name.clone()).to_string()
    };
    let amount = move || {
        let locale = i18n.get_locale();
        format!("{} / {}", size_text(up.sent.get(), locale), size_text(up.size, locale))
    };
    let left = move || {
        up.seconds_left().map(|s| {
            let time = if s < 90 { format!("{s} s") } else { format!("{} min", s.div_ceil(60)) };
            t_string!(i18n, evidence.time_left, time).to_string()
        })
    };
    let percent = move || (up.sent.get() * 100).checked_div(up.size).unwrap_or(0);
    let body = move || match up.status.get() {
        Status::OfferShrink => EitherOf4::A(view! {
            <p>{move || t_string!(i18n, evidence.shrink_offer, size = size_text(up.size, i18n.get_locale())).to_string()}</p>
            <div class="upload__actions">
                <button type="button" class="button" on:click=move |_| upload::answer_shrink(ev, up, true)>
                    {tr(|l| td_string!(l, evidence.shrink))}
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| upload::answer_shrink(ev, up, false)>
                    {tr(|l| td_string!(l, evidence.send_as_is))}
                </button>
            </div>
        }),
        Status::NeedsFile => {
            let input_id = format!("resume-{}", up.key);
            EitherOf4::B(view! {
                <p>{move || t_string!(i18n, evidence.interrupted, percent = percent()).to_string()}</p>
                <div class="upload__actions">
                    <span class="file-pick">
                        <input
                            id=input_id.clone()
                            class="file-pick__input"
                            type="file"
                            on:change=move |e| {
                                if let Some(file) = chosen(&e).into_iter().next() {
                                    upload::resume_with(ev, up, file);
                                }
                            }
                        />
                        <label for=input_id class="button">{tr(|l| td_string!(l, evidence.choose_again))}</label>
                    </span>
                    <button type="button" class="button button--quiet" on:click=move |_| upload::cancel(ev, up)>
                        {tr(|l| td_string!(l, evidence.discard))}
                    </button>
                </div>
            })
        }
        Status::Failed(problem) => {
            let retryable = matches!(problem, Problem::Other(_));
            EitherOf4::C(view! {
                <p class="field__error" role="alert">{move || problem_text(i18n, &problem, ev)}</p>
                <div class="upload__actions">
                    {retryable.then(|| view! {
                        <button type="button" class="button button--secondary" on:click=move |_| upload::retry(ev, up)>
                            {tr(|l| td_string!(l, evidence.retry))}
                        </button>
                    })}
                    <button type="button" class="button button--quiet" on:click=move |_| upload::cancel(ev, up)>
                        {tr(|l| td_string!(l, evidence.dismiss))}
                    </button>
                </div>
            })
        }
        Status::Sending | Status::Waiting | Status::Done => EitherOf4::D(view! {
            <progress max=up.size as f64 value=move || up.sent.get() as f64 aria-label=label.clone()></progress>
            <p class="upload__amount">
                {amount}
                {move || left().map(|l| format!(" · {l}"))}
                {move || (up.status.get() == Status::Waiting).then(|| view! {
                    <span class="upload__waiting">" · "{move || t_string!(i18n, evidence.waiting, percent = percent()).to_string()}</span>
                })}
            </p>
            <div class="upload__actions">
                <button type="button" class="button button--quiet" on:click=move |_| upload::cancel(ev, up)>
                    {tr(|l| td_string!(l, evidence.cancel))}
                </button>
            </div>
        }),
    };
    view! {
        <li class="upload" data-testid="upload">
            <p class="upload__name">{name}</p>
            {body}
        </li>
    }
}

fn problem_text(i18n: leptos_i18n::I18nContext<Locale>, problem: &Problem, ev: Evidence) -> String {
    match problem {
        Problem::Kind => t_string!(i18n, evidence.err_kind).to_string(),
        Problem::Size(SizeRefusal::Empty) => t_string!(i18n, evidence.err_empty).to_string(),
        Problem::Size(SizeRefusal::TooLarge { max }) => {
            let max = max >> 20;
            t_string!(i18n, evidence.err_too_large, max).to_string()
        }
        Problem::Size(SizeRefusal::SheetFull { max, used }) => {
            let (max, used) = (max >> 20, used >> 20);
            t_string!(i18n, evidence.err_sheet_full, max, used).to_string()
        }
        Problem::Frozen => t_string!(i18n, evidence.err_frozen).to_string(),
        Problem::Target => t_string!(i18n, evidence.err_target).to_string(),
        Problem::NotSame => t_string!(i18n, evidence.err_not_same).to_string(),
        Problem::Other(code) => {
            let _ = ev;
            let code = code.clone();
            t_string!(i18n, evidence.err_other, code).to_string()
        }
    }
}
