//! The criteria tree of a bloc-year as staff edit it: sections, items and sub-items; add,
//! edit, move up and down with buttons (so the keyboard does all of it), delete after a
//! confirmation; a live maximum total against the intended one; import from and export to
//! CSV; and saving asks first when sheets hold scores that the change would drop.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use leptos::either::Either;
use leptos::prelude::*;
use thidua_domain::admin::blocs::BlocSetupView;
use thidua_domain::admin::criteria::{criteria_diff, validate_criteria, CriteriaDraft, CriteriaUpdate, CriterionDraft};
use thidua_domain::criteria::{CriterionId, MAX_DEPTH};
use thidua_domain::error::FieldError;
use thidua_domain::{BlocId, Points, Year};

use crate::format;
use crate::i18n::*;
use crate::staff::api::admin::{self as admin_api, ImportError};
use crate::staff::components::field_error::{message, FieldMessage};
use crate::staff::components::form::{write, SaveOutcome, TextField, Write};
use crate::staff::focus::focus_after_render;
use crate::staff::input::{decimal_comma, parse_score, points_input};
use crate::text::tr;

/// A stable key for each node while it is edited, so moving one keeps its fields.
fn next_key() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// One node as typed.
#[derive(Clone, Copy)]
struct Node {
    key: u64,
    id: Option<CriterionId>,
    code: RwSignal<String>,
    title: RwSignal<String>,
    max: RwSignal<String>,
    step: RwSignal<String>,
    children: RwSignal<Vec<Node>>,
}

impl Node {
    fn new(d: &CriterionDraft, comma: bool) -> Node {
        Node {
            key: next_key(),
            id: d.id,
            code: RwSignal::new(d.code.clone()),
            title: RwSignal::new(d.title.clone()),
            max: RwSignal::new(if d.children.is_empty() { points_input(d.max_points, comma) } else { String::new() }),
            step: RwSignal::new(points_input(d.step, comma)),
            children: RwSignal::new(d.children.iter().map(|c| Node::new(c, comma)).collect()),
        }
    }

    fn empty(step: Points, comma: bool) -> Node {
        Node::new(
            &CriterionDraft {
                id: None,
                code: String::new(),
                title: String::new(),
                max_points: Points::ZERO,
                step,
                children: Vec::new(),
            },
            comma,
        )
    }

    /// The node as a draft; fields that do not parse are collected by key.
    fn read(&self, errors: &mut HashMap<(u64, &'static str), Vec<FieldError>>) -> CriterionDraft {
        let mut points = |field: &'static str, text: String| match parse_score(&text) {
            Ok(p) => p.unwrap_or(Points::ZERO),
            Err(e) => {
                errors.insert((self.key, field), vec![e]);
                Points::ZERO
            }
        };
        let children = self.children.get_untracked();
        let leaf = children.is_empty();
        let max_points = if leaf { points("max_points", self.max.get_untracked()) } else { Points::ZERO };
        let step = points("step", self.step.get_untracked());
        CriterionDraft {
            id: self.id,
            code: self.code.get_untracked().trim().to_owned(),
            title: self.title.get_untracked().trim().to_owned(),
            max_points,
            step,
            children: children.iter().map(|c| c.read(errors)).collect(),
        }
    }

    /// The tree's maxima as typed so far (unparseable counts as 0), read reactively.
    fn live(&self) -> CriterionDraft {
        CriterionDraft {
            id: None,
            code: String::new(),
            title: String::new(),
            max_points: parse_score(&self.max.get()).ok().flatten().unwrap_or(Points::ZERO),
            step: Points::ZERO,
            children: self.children.get().iter().map(Node::live).collect(),
        }
    }

    /// The maximum as typed so far, by the domain's rule (a parent's is its children's sum),
    /// for the live total.
    fn live_max(&self) -> Points {
        self.live().max()
    }

    /// Every key with its draft path (`0.1`), to place the domain's errors.
    fn paths(nodes: &[Node], prefix: &str, out: &mut HashMap<String, u64>) {
        for (i, n) in nodes.iter().enumerate() {
            let path = if prefix.is_empty() { i.to_string() } else { format!("{prefix}.{i}") };
            out.insert(path.clone(), n.key);
            Node::paths(&n.children.get_untracked(), &path, out);
        }
    }
}

type Errors = RwSignal<HashMap<(u64, &'static str), Vec<FieldError>>>;

/// The editor's state, shared by its parts.
#[derive(Clone, Copy)]
struct Tree {
    sections: RwSignal<Vec<Node>>,
    bonus_cap: RwSignal<String>,
    errors: Errors,
    comma: bool,
}

impl Tree {
    fn load(&self, draft: &CriteriaDraft) {
        self.sections.set(draft.sections.iter().map(|s| Node::new(s, self.comma)).collect());
        self.bonus_cap.set(points_input(draft.bonus_cap, self.comma));
        self.errors.set(HashMap::new());
    }

    /// The draft, or `None` after placing every error next to its field.
    fn read(&self) -> Option<CriteriaDraft> {
        let mut errors = HashMap::new();
        let sections: Vec<CriterionDraft> = self.sections.get_untracked().iter().map(|n| n.read(&mut errors)).collect();
        let bonus_cap = match parse_score(&self.bonus_cap.get_untracked()) {
            Ok(p) => p.unwrap_or(Points::ZERO),
            Err(e) => {
                errors.insert((0, "bonus_cap"), vec![e]);
                Points::ZERO
            }
        };
        let draft = CriteriaDraft { sections, bonus_cap };
        if errors.is_empty() {
            let mut keys = HashMap::new();
            Node::paths(&self.sections.get_untracked(), "", &mut keys);
            for (path, errs) in validate_criteria(&draft) {
                let key = match path.strip_prefix("criteria.") {
                    Some(rest) => {
                        let (node, field) = match rest.rsplit_once('.') {
                            Some((node, field)) if keys.contains_key(node) => (node, field),
                            _ => (rest, "node"),
                        };
                        let field = match field {
                            "code" => "code",
                            "title" => "title",
                            "max_points" => "max_points",
                            "step" => "step",
                            _ => "node",
                        };
                        (keys.get(node).copied().unwrap_or(0), field)
                    }
                    None if path == "bonus_cap" => (0, "bonus_cap"),
                    None => (0, "tree"),
                };
                errors.entry(key).or_insert(errs);
            }
        }
        let ok = errors.is_empty();
        self.errors.set(errors);
        ok.then_some(draft)
    }
}

#[component]
pub fn CriteriaEditor(year: Year, bloc: BlocId, view: RwSignal<BlocSetupView>) -> impl IntoView {
    let i18n = use_i18n();
    let comma = decimal_comma();
    let tree = Tree {
        sections: RwSignal::new(Vec::new()),
        bonus_cap: RwSignal::new(String::new()),
        errors: RwSignal::new(HashMap::new()),
        comma,
    };
    tree.load(&view.get_untracked().criteria);
    let intended = RwSignal::new(String::new());
    let live_total = Memo::new(move |_| tree.sections.get().iter().map(Node::live_max).sum::<Points>());
    let intended_points = move || parse_score(&intended.get()).ok().flatten();
    let import_errors = RwSignal::new(Vec::<String>::new());
    let save_criteria = write(
        move |update| admin_api::save_criteria(year, bloc, update),
        move |saved: BlocSetupView| {
            tree.load(&saved.criteria);
            view.set(saved);
        },
    );
    // Copying another year's criteria of this bloc loads them into the editor as new ones;
    // nothing is saved until staff save.
    let copy = write(
        move |from| admin_api::bloc(from, bloc),
        move |other: BlocSetupView| {
            tree.load(&other.criteria.without_ids());
        },
    );
    // A CSV file parsed on the server: a tree in the editor, or the lines that are wrong.
    let import: Write<web_sys::File> = Action::new_local(move |file: &web_sys::File| {
        let text = wasm_bindgen_futures::JsFuture::from(file.text());
        async move {
            let Some(text) = text.await.ok().and_then(|t| t.as_string()) else { return Ok(()) };
            match admin_api::import_criteria(year, bloc, text).await {
                Ok(draft) => {
                    tree.load(&draft);
                    import_errors.set(Vec::new());
                    Ok(())
                }
                Err(ImportError::Rows(fields)) => {
                    let lines = fields
                        .iter()
                        .map(|(path, errs)| {
                            let line =
                                path.split('.').nth(1).and_then(|i| i.parse::<usize>().ok()).map_or(0, |i| i + 2);
                            let text: Vec<String> = errs.iter().map(|e| message(i18n, e)).collect();
                            t_string!(i18n, admin.import_line, line, text = text.join(" ")).to_string()
                        })
                        .collect();
                    import_errors.set(lines);
                    Ok(())
                }
                Err(ImportError::Api(e)) => Err(e),
            }
        }
    });
    // Criteria whose scores a save would drop, once the server asked for a confirmation.
    let confirm_drop = RwSignal::new(Vec::<String>::new());

    // Whichever of the three ran last says how it went; the others' lines are cleared.
    let clear_outcomes = move || {
        save_criteria.clear();
        copy.clear();
        import.clear();
    };
    let save = move |confirmed: bool| {
        let Some(draft) = tree.read() else {
            clear_outcomes();
            return;
        };
        let current = view.get_untracked();
        if !confirmed {
            let diff = criteria_diff(&current.criteria.existing_table(), &draft);
            let dropped: Vec<String> = diff
                .drops_scores()
                .filter(|id| current.scored_criteria.contains(id))
                .filter_map(|id| current.criteria.walk().into_iter().find(|(_, _, n)| n.id == Some(id)))
                .map(|(_, _, n)| format!("{} {}", n.code, n.title))
                .collect();
            if !dropped.is_empty() {
                confirm_drop.set(dropped);
                focus_after_render("criteria-confirm-title");
                return;
            }
        }
        confirm_drop.set(Vec::new());
        let update = CriteriaUpdate { criteria: draft, version: current.version, confirm_dropping_scores: confirmed };
        clear_outcomes();
        save_criteria.dispatch(update);
    };
    let copy_year = RwSignal::new(String::new());
    let years = LocalResource::new(admin_api::years);
    let copy_from = move |_| {
        let Ok(from) = copy_year.get_untracked().parse::<Year>() else { return };
        clear_outcomes();
        copy.dispatch(from);
    };
    let import_file = move |ev: leptos::ev::Event| {
        use wasm_bindgen::JsCast;
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
        input.set_value("");
        clear_outcomes();
        import.dispatch_local(file);
    };

    let bonus_errors =
        Signal::derive(move || tree.errors.with(|e| e.get(&(0, "bonus_cap")).cloned().unwrap_or_default()));
    let tree_errors = Signal::derive(move || tree.errors.with(|e| e.get(&(0, "tree")).cloned().unwrap_or_default()));
    view! {
        <section class="criteria-editor" aria-labelledby="criteria-title" data-testid="criteria-editor">
            <h2 id="criteria-title">{tr(|l| td_string!(l, admin.criteria))}</h2>
            <div class="toolbar">
                <a class="button button--secondary" href=admin_api::criteria_csv_url(year, bloc) download>
                    {tr(|l| td_string!(l, admin.export_csv))}
                </a>
                <label class="button button--secondary file-button">
                    {tr(|l| td_string!(l, admin.import_csv))}
                    <input type="file" accept=".csv,text/csv" class="visually-hidden" data-testid="import-csv" on:change=import_file />
                </label>
            </div>
            <div class="field-row">
                <div class="field">
                    <label for="copy-criteria-from">{tr(|l| td_string!(l, admin.copy_criteria_from))}</label>
                    <select
                        id="copy-criteria-from"
                        class="input"
                        prop:value=move || copy_year.get()
                        on:change=move |ev| copy_year.set(event_target_value(&ev))
                    >
                        <option value="">{tr(|l| td_string!(l, admin.choose_year))}</option>
                        {move || {
                            years
                                .get()
                                .and_then(Result::ok)
                                .unwrap_or_default()
                                .into_iter()
                                .filter(|y| y.year != year)
                                .map(|y| view! { <option value=y.year.to_string()>{y.year}</option> })
                                .collect_view()
                        }}
                    </select>
                </div>
                <button type="button" class="button button--secondary field-row__button" data-testid="copy-criteria" on:click=copy_from>
                    {tr(|l| td_string!(l, admin.copy_criteria))}
                </button>
            </div>
            <ul class="form__error" role="alert" data-testid="import-errors">
                {move || import_errors.get().into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}
            </ul>
            <div class="field-row">
                <TextField
                    id="intended-total"
                    label=|l| td_string!(l, admin.intended_total)
                    value=intended
                    errors=Signal::derive(Vec::new)
                    numeric=true
                />
                <TextField id="bonus-cap" label=|l| td_string!(l, admin.bonus_cap) value=tree.bonus_cap errors=bonus_errors numeric=true />
            </div>
            <p class="total-check" role="status" data-testid="max-total">
                {move || {
                    let locale = i18n.get_locale();
                    let total = format::points(live_total.get(), locale);
                    match intended_points() {
                        Some(want) if want != live_total.get() => {
                            td_string!(locale, admin.total_mismatch, total = total, want = format::points(want, locale)).to_string()
                        }
                        Some(_) => td_string!(locale, admin.total_matches, total = total).to_string(),
                        None => td_string!(locale, admin.total_is, total = total).to_string(),
                    }
                }}
            </p>
            <FieldMessage id="criteria-tree-error".into() errors=tree_errors />
            <NodeList nodes=tree.sections depth=1 tree />
            <button
                type="button"
                class="button button--secondary"
                data-testid="add-section"
                on:click=move |_| {
                    let node = Node::empty(thidua_domain::admin::criteria::DEFAULT_STEP, comma);
                    tree.sections.update(|s| s.push(node));
                    focus_after_render(format!("code-{}", node.key));
                }
            >
                {tr(|l| td_string!(l, admin.add_section))}
            </button>
            {move || {
                let dropped = confirm_drop.get();
                (!dropped.is_empty()).then(|| view! {
                    <div class="confirm" role="group" aria-labelledby="criteria-confirm-title" data-testid="criteria-confirm">
                        <h3 id="criteria-confirm-title" tabindex="-1">{tr(|l| td_string!(l, admin.confirm_drop_title))}</h3>
                        <ul class="confirm__list">{dropped.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                        <div class="actions">
                            <button type="button" class="button button--primary" data-testid="confirm-drop" on:click=move |_| save(true)>
                                {tr(|l| td_string!(l, admin.confirm_drop))}
                            </button>
                            <button type="button" class="button button--secondary" on:click=move |_| confirm_drop.set(Vec::new())>
                                {tr(|l| td_string!(l, sheet.cancel))}
                            </button>
                        </div>
                    </div>
                })
            }}
            <div class="actions">
                <button type="button" class="button button--primary" data-testid="save-criteria" on:click=move |_| save(false)>
                    {tr(|l| td_string!(l, admin.save_criteria))}
                </button>
            </div>
            <SaveOutcome write=save_criteria />
            <SaveOutcome write=copy quiet=true />
            <SaveOutcome write=import quiet=true />
        </section>
    }
}

/// The nodes of one level, each with its fields and buttons, then its children.
#[component]
fn NodeList(nodes: RwSignal<Vec<Node>>, depth: usize, tree: Tree) -> impl IntoView {
    view! {
        <ol class="criteria-tree" class:criteria-tree--top=depth == 1>
            <For each=move || nodes.get() key=|n| n.key let:node>
                <NodeItem node nodes depth tree />
            </For>
        </ol>
    }
}

#[component]
fn NodeItem(node: Node, nodes: RwSignal<Vec<Node>>, depth: usize, tree: Tree) -> impl IntoView {
    let i18n = use_i18n();
    let key = node.key;
    let confirming = RwSignal::new(false);
    let position = move || nodes.with(|n| n.iter().position(|x| x.key == key).unwrap_or(0));
    let step_default = move || {
        parse_score(&node.step.get_untracked()).ok().flatten().unwrap_or(thidua_domain::admin::criteria::DEFAULT_STEP)
    };
    let move_by = move |delta: isize, button: &'static str| {
        nodes.update(|n| {
            let i = n.iter().position(|x| x.key == key).unwrap_or(0) as isize;
            let j = i + delta;
            if j >= 0 && (j as usize) < n.len() {
                n.swap(i as usize, j as usize);
            }
        });
        focus_after_render(format!("{button}-{key}"));
    };
    let field = move |name: &'static str, label: fn(Locale) -> &'static str, value: RwSignal<String>, numeric: bool| {
        let field = match name {
            "max" => "max_points",
            other => other,
        };
        let errors = Signal::derive(move || tree.errors.with(|e| e.get(&(key, field)).cloned().unwrap_or_default()));
        view! { <TextField id=format!("{name}-{key}") label value errors numeric /> }
    };
    let is_leaf = move || node.children.with(Vec::is_empty);
    let parent_max = move || format::points(node.live_max(), i18n.get_locale());
    let node_errors = Signal::derive(move || tree.errors.with(|e| e.get(&(key, "node")).cloned().unwrap_or_default()));
    view! {
        <li class="criteria-node" data-testid="criteria-node">
            <div class="criteria-node__fields">
                {field("code", |l| td_string!(l, admin.code), node.code, false)}
                {field("title", |l| td_string!(l, admin.criterion_title), node.title, false)}
                {move || {
                    if is_leaf() {
                        Either::Left(field("max", |l| td_string!(l, admin.max_points), node.max, true))
                    } else {
                        Either::Right(view! {
                            <p class="criteria-node__sum">{move || t_string!(i18n, admin.sum_of_children, total = parent_max()).to_string()}</p>
                        })
                    }
                }}
                {field("step", |l| td_string!(l, admin.step), node.step, true)}
            </div>
            <FieldMessage id=format!("node-{key}-error") errors=node_errors />
            <div class="criteria-node__actions">
                <button
                    type="button"
                    class="link-button"
                    id=format!("up-{key}")
                    disabled=move || position() == 0
                    on:click=move |_| move_by(-1, "up")
                >
                    {tr(|l| td_string!(l, admin.move_up))}
                </button>
                <button
                    type="button"
                    class="link-button"
                    id=format!("down-{key}")
                    disabled=move || { position() + 1 >= nodes.with(Vec::len) }
                    on:click=move |_| move_by(1, "down")
                >
                    {tr(|l| td_string!(l, admin.move_down))}
                </button>
                {(depth < MAX_DEPTH).then(|| view! {
                    <button
                        type="button"
                        class="link-button"
                        data-testid="add-child"
                        on:click=move |_| {
                            let child = Node::empty(step_default(), tree.comma);
                            node.children.update(|c| c.push(child));
                            focus_after_render(format!("code-{}", child.key));
                        }
                    >
                        {tr(|l| td_string!(l, admin.add_child))}
                    </button>
                })}
                {move || {
                    if confirming.get() {
                        Either::Left(view! {
                            <span class="criteria-node__confirm" role="group" aria-label=tr(|l| td_string!(l, admin.confirm_delete))>
                                {tr(|l| td_string!(l, admin.confirm_delete))} " "
                                <button
                                    type="button"
                                    class="link-button"
                                    id=format!("delete-yes-{key}")
                                    on:click=move |_| nodes.update(|n| n.retain(|x| x.key != key))
                                >
                                    {tr(|l| td_string!(l, admin.delete_yes))}
                                </button>
                                <button type="button" class="link-button" on:click=move |_| confirming.set(false)>
                                    {tr(|l| td_string!(l, sheet.cancel))}
                                </button>
                            </span>
                        })
                    } else {
                        Either::Right(view! {
                            <button
                                type="button"
                                class="link-button"
                                on:click=move |_| {
                                    confirming.set(true);
                                    focus_after_render(format!("delete-yes-{key}"));
                                }
                            >
                                {tr(|l| td_string!(l, admin.delete))}
                            </button>
                        })
                    }
                }}
            </div>
            {move || {
                (!node.children.with(Vec::is_empty)).then(|| view! { <NodeList nodes=node.children depth=depth + 1 tree /> }.into_any())
            }}
        </li>
    }
}
