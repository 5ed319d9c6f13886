//! Components in a real headless Chromium (wasm-bindgen-test; runner in .cargo/config.toml).
#![cfg(target_arch = "wasm32")]

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::components::Router;
use thidua::api::ApiError;
use thidua::components::ranking_table::RankingTable;
use thidua::components::status::ErrorPanel;
use thidua::i18n::*;
use thidua_domain::criteria::Criterion;
use thidua_domain::model::Unit;
use thidua_domain::ranking::{TieBreak, TieOutcome};
use thidua_domain::results::{BlocResults, LeafScore, RankingRow, SectionHeader};
use thidua_domain::sheet::Adjustment;
use thidua_domain::Points;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn row(rank: u32, id: i64, name: &str, total: i64, sections: [i64; 2], tie: Option<TieOutcome>) -> RankingRow {
    RankingRow {
        rank,
        unit: Unit { id, name: name.into() },
        total: Points::from_hundredths(total),
        sections: sections.into_iter().map(Points::from_hundredths).collect(),
        bonus_counted: Points::ZERO,
        deductions: Points::ZERO,
        scored: 2,
        criteria_count: 2,
        tie,
        self_total: Points::from_hundredths(total + 50),
        scores: vec![
            LeafScore {
                criterion_id: 1,
                self_score: Some(Points::from_hundredths(sections[0] + 50)),
                verified_score: Some(Points::from_hundredths(sections[0])),
            },
            LeafScore { criterion_id: 2, self_score: None, verified_score: Some(Points::from_hundredths(sections[1])) },
        ],
        bonuses: vec![],
        deduction_lines: vec![Adjustment {
            reason: "Gửi báo cáo chậm hạn".into(),
            points: Points::from_hundredths(50),
        }],
    }
}

fn results() -> BlocResults {
    let header = |id, code: &str, max| SectionHeader {
        criterion_id: id,
        code: code.into(),
        title: format!("Mục {code}"),
        max_points: Points::whole(max),
    };
    let by_first = Some(TieOutcome::DecidedBySection { section_index: 0 });
    BlocResults {
        year: 2018,
        bloc_id: 1,
        bloc_name: "Khối".into(),
        leader_unit_id: Some(2),
        sample_scores: true,
        tie_break: TieBreak::SectionOrder,
        sections: vec![header(1, "I", 50), header(2, "II", 50)],
        max_total: Points::whole(100),
        bonus_cap: Points::whole(5),
        criteria: vec![criterion(1, "I", 50), criterion(2, "II", 50)],
        ranking: vec![
            row(1, 2, "Sở Y tế", 9550, [4800, 4750], None),
            row(2, 1, "Sở Văn hóa, Thể thao và Du lịch", 9000, [4600, 4400], by_first),
            row(3, 3, "Bảo hiểm xã hội tỉnh", 9000, [4500, 4500], by_first),
        ],
        unranked: vec![],
        published: true,
        version: 0,
        award_types: vec![],
        tally: None,
        tally_method: None,
        candidates: vec![],
        vote_ties: vec![],
        awards: vec![],
        problems: vec![],
        publication: None,
        revision: None,
    }
}

fn criterion(id: i64, code: &str, max: i64) -> Criterion {
    Criterion {
        id,
        parent_id: None,
        code: code.into(),
        title: format!("Mục {code}"),
        max_points: Points::whole(max),
        step: Points::from_hundredths(50),
    }
}

/// Mounts `view` inside a router and the i18n context with the given locale; returns the container.
fn mount_in(locale: Locale, view: impl Fn() -> AnyView + Send + Sync + 'static) -> web_sys::HtmlElement {
    let document = document();
    let container = document.create_element("div").unwrap().unchecked_into::<web_sys::HtmlElement>();
    document.body().unwrap().append_child(&container).unwrap();
    let handle = mount_to(container.clone(), move || {
        view! {
            <Router>
                <I18nSubContextProvider initial_locale=Signal::stored(locale)>{view()}</I18nSubContextProvider>
            </Router>
        }
    });
    std::mem::forget(handle); // keep it mounted for the rest of the test
    container
}

fn texts(root: &web_sys::HtmlElement, css: &str) -> Vec<String> {
    let list = root.query_selector_all(css).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().text_content().unwrap_or_default().trim().to_string()).collect()
}

#[wasm_bindgen_test]
async fn ranking_table_renders_rows_ties_and_locale_numbers() {
    let root = mount_in(Locale::vi, || view! { <RankingTable results=results() /> }.into_any());
    tick().await;
    assert_eq!(
        texts(&root, "[data-testid=ranking-row] .unit__name"),
        ["Sở Y tế", "Sở Văn hóa, Thể thao và Du lịch", "Bảo hiểm xã hội tỉnh"]
    );
    assert_eq!(texts(&root, ".rank__number"), ["1", "2", "3"]);
    assert_eq!(
        texts(&root, ".rank__tie"),
        ["bằng tổng điểm, xếp theo điểm mục I", "bằng tổng điểm, xếp theo điểm mục I"]
    );
    assert_eq!(texts(&root, ".total"), ["95,5", "90", "90"]);
    assert_eq!(texts(&root, "thead th").len(), 3 + 2 + 2, "rank, unit, total, two sections, bonus, deductions");
    assert!(texts(&root, "[data-testid=tie-rule]")[0].contains("mục I cao hơn"));

    // Each unit's sheet opens below its row: self against verified, "—" where not scored,
    // the deduction with its reason.
    assert!(texts(&root, "[data-testid=breakdown]").is_empty());
    let details = root.query_selector(".expand").unwrap().unwrap();
    assert!(!details.has_attribute("open"));
    let summary = root.query_selector(".expand summary").unwrap().unwrap().unchecked_into::<web_sys::HtmlElement>();
    summary.click();
    assert!(details.has_attribute("open"));
    // The toggle event comes in a task of its own; the sheet renders then.
    for _ in 0..20 {
        if !texts(&root, "[data-testid=breakdown]").is_empty() {
            break;
        }
        sleep_ms(10).await;
    }
    let cells = texts(&root, "[data-testid=breakdown] tbody td");
    assert_eq!(cells, ["50", "48,5", "48", "50", "—", "47,5"]);
    assert!(texts(&root, "[data-testid=breakdown] .adj")[0].contains("Gửi báo cáo chậm hạn"));

    let english = mount_in(Locale::en, || view! { <RankingTable results=results() /> }.into_any());
    tick().await;
    assert_eq!(texts(&english, ".total"), ["95.5", "90", "90"]);
    assert_eq!(texts(&english, ".rank__tie")[0], "equal total, ordered by section I");
}

#[wasm_bindgen_test]
async fn error_panel_offers_a_retry_only_when_it_can_help() {
    let (retries, set_retries) = signal(0);
    let root = mount_in(Locale::vi, move || {
        view! { <ErrorPanel error=ApiError::Network on_retry=move || set_retries.update(|n| *n += 1) /> }.into_any()
    });
    tick().await;
    assert!(texts(&root, "[role=alert] p")[0].contains("Không kết nối được với máy chủ"));
    let retry = root
        .query_selector("[data-testid=retry]")
        .unwrap()
        .expect("a retry button")
        .unchecked_into::<web_sys::HtmlElement>();
    retry.click();
    retry.click();
    assert_eq!(retries.get_untracked(), 2);

    let missing = mount_in(Locale::en, || {
        view! { <ErrorPanel error=ApiError::NotFound { code: "bloc_not_found".into() } on_retry=|| () /> }.into_any()
    });
    tick().await;
    assert!(texts(&missing, "[role=alert] p")[0].contains("not found"));
    assert!(missing.query_selector("[data-testid=retry]").unwrap().is_none());
}

/// After sign-in only paths of this origin are followed, as the browser itself resolves them.
#[wasm_bindgen_test]
fn after_sign_in_stays_on_this_origin() {
    use thidua::components::status::after_sign_in;
    assert_eq!(after_sign_in(Some("/sheets/3?tab=self#top")), "/sheets/3?tab=self#top");
    assert_eq!(after_sign_in(Some("/awards/2019/1")), "/awards/2019/1");
    assert_eq!(after_sign_in(Some("/a/../admin")), "/admin", "as the browser reads it");
    for bad in [
        "/\\evil.example/",
        "/\\/evil.example",
        "/\t/evil.example",
        "//evil.example",
        "https://evil.example",
        "javascript:alert(1)",
        // The forms that resolve to `//evil.example` once dot segments are removed.
        "/.//evil.example/x",
        "/..//evil.example",
        "/a/..//evil.example",
        "/%2e%2e//evil.example",
        "/.%2e//evil.example",
    ] {
        assert_eq!(after_sign_in(Some(bad)), "/sheets", "{bad:?}");
    }
    assert_eq!(after_sign_in(None), "/sheets");
}

/// Waits `ms` milliseconds of the browser's clock.
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
