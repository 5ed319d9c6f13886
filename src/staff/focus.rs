//! Moving keyboard focus, so a keyboard or screen-reader user is not dropped back at the top
//! when the element they used is replaced.

use leptos::prelude::{document, request_animation_frame};
use wasm_bindgen::JsCast;

/// Focuses the element with this id now, if it is on the page.
pub fn focus(id: &str) {
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Focuses the element with this id once the view that holds it has been rendered.
pub fn focus_after_render(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || focus(&id));
}
