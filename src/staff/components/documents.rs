//! The year's documents to download: the bloc's minutes and proposal letter (awards page;
//! staff and the bloc leader's officer) and a unit's achievement report (sheet page), each as
//! Word (to finish and sign) and PDF. The server makes them; these are links.

use leptos::prelude::*;
use thidua_domain::sheet_edit::SheetId;
use thidua_domain::{BlocId, Year};

use crate::api::url;
use crate::i18n::*;
use crate::text::tr;

/// "Name: Word (.docx) · PDF" for the document at `path` (without its extension).
#[component]
fn WordAndPdf(label: fn(Locale) -> &'static str, path: String, testid: &'static str) -> impl IntoView {
    let (docx, pdf) = (url(&format!("{path}.docx")), url(&format!("{path}.pdf")));
    view! {
        <li data-testid=testid>
            {tr(label)} ": "
            <a href=docx download data-testid=format!("{testid}-docx")>{tr(|l| td_string!(l, documents.word))}</a>
            " · "
            <a href=pdf download data-testid=format!("{testid}-pdf")>{tr(|l| td_string!(l, documents.pdf))}</a>
        </li>
    }
}

/// The bloc's documents for the year.
#[component]
pub fn BlocDocuments(year: Year, bloc: BlocId) -> impl IntoView {
    let base = format!("/api/years/{year}/blocs/{bloc}/documents");
    view! {
        <ul class="documents">
            <WordAndPdf label=|l| td_string!(l, documents.minutes) path=format!("{base}/minutes") testid="minutes" />
            <WordAndPdf label=|l| td_string!(l, documents.proposal) path=format!("{base}/proposal") testid="proposal" />
        </ul>
    }
}

/// The Council's list for the year (staff).
#[component]
pub fn CouncilDocuments(year: Year) -> impl IntoView {
    view! {
        <ul class="documents">
            <WordAndPdf label=|l| td_string!(l, documents.council) path=format!("/api/years/{year}/council/documents/list") testid="council-list" />
        </ul>
    }
}

/// The unit's achievement report, prefilled from this sheet.
#[component]
pub fn ReportLinks(sheet: SheetId) -> impl IntoView {
    view! {
        <ul class="documents">
            <WordAndPdf label=|l| td_string!(l, documents.report) path=format!("/api/sheets/{sheet}/documents/report") testid="report" />
        </ul>
    }
}
