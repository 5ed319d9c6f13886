//! The reader's language: `?lang=en` in the address, else the cookie the switch set, else
//! Vietnamese. A cookie (not the device's storage) so that the server, which renders the
//! public pages, renders them in the same language; the server reads both the same way.

use crate::i18n::Locale;

/// Kept on the device while someone has signed in on it (`staff::session`).
pub const SIGNED_IN_KEY: &str = "thidua.signed_in";

/// Whether someone may be signed in on this device: then unpublished or withdrawn results are
/// asked again with the session (staff see their preview); a public reader never asks twice.
pub fn maybe_signed_in() -> bool {
    #[cfg(target_arch = "wasm32")]
    {
        // The text as `staff::session` stored it (JSON `true`), compared, not parsed: the
        // public build then carries no JSON parser.
        let storage = leptos::prelude::window().local_storage().ok().flatten();
        storage.and_then(|s| s.get_item(SIGNED_IN_KEY).ok().flatten()).as_deref() == Some("true")
    }
    #[cfg(not(target_arch = "wasm32"))]
    false
}

/// The cookie that keeps the reader's choice of language.
pub const LOCALE_COOKIE: &str = "thidua_lang";

/// A locale by its BCP 47 tag, as the address, the cookie and `<html lang>` carry it.
pub fn parse_locale(tag: &str) -> Option<Locale> {
    match tag {
        "vi" => Some(Locale::vi),
        "en" => Some(Locale::en),
        _ => None,
    }
}

/// The BCP 47 tag of a locale, as `<html lang>` and the cookie carry it.
pub fn locale_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::vi => "vi",
        Locale::en => "en",
    }
}

/// The language asked for by a request: `lang` in its query, else the cookie.
pub fn requested_locale(query: &str, cookies: &str) -> Option<Locale> {
    let pair = |text: &str, sep: char, name: &str| {
        text.split(sep).find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then(|| parse_locale(v)).flatten()
        })
    };
    pair(query.trim_start_matches('?'), '&', "lang").or_else(|| pair(cookies, ';', LOCALE_COOKIE))
}

#[cfg(target_arch = "wasm32")]
fn html_document() -> Option<web_sys::HtmlDocument> {
    use wasm_bindgen::JsCast;
    leptos::prelude::document().dyn_into::<web_sys::HtmlDocument>().ok()
}

/// The language this page was asked in (in the browser).
pub fn stored_locale() -> Option<Locale> {
    #[cfg(target_arch = "wasm32")]
    {
        let search = leptos::prelude::window().location().search().unwrap_or_default();
        let cookies = html_document().and_then(|d| d.cookie().ok()).unwrap_or_default();
        requested_locale(&search, &cookies)
    }
    #[cfg(not(target_arch = "wasm32"))]
    None
}

/// Keeps the choice for a year, for this site's every path.
pub fn store_locale(locale: Locale) {
    #[cfg(target_arch = "wasm32")]
    if let Some(document) = html_document() {
        // Refused cookies: the switch still works for this visit.
        let _ = document
            .set_cookie(&format!("{LOCALE_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", locale_tag(locale)));
    }
    #[cfg(not(target_arch = "wasm32"))]
    let _ = locale;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_before_the_cookie() {
        assert_eq!(requested_locale("?lang=en", "thidua_lang=vi"), Some(Locale::en));
        assert_eq!(requested_locale("", "a=1; thidua_lang=en"), Some(Locale::en));
        assert_eq!(requested_locale("?x=1&lang=vi", ""), Some(Locale::vi));
        assert_eq!(requested_locale("?lang=fr", "thidua_lang=xx"), None);
        assert_eq!(requested_locale("", ""), None);
    }
}
