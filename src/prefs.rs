//! Preferences kept on the device.

use gloo_storage::{LocalStorage, Storage};

use crate::i18n::Locale;

const LOCALE_KEY: &str = "thidua.locale";

pub fn stored_locale() -> Option<Locale> {
    let tag: String = LocalStorage::get(LOCALE_KEY).ok()?;
    match tag.as_str() {
        "vi" => Some(Locale::vi),
        "en" => Some(Locale::en),
        _ => None,
    }
}

/// The BCP 47 tag of a locale, as `<html lang>` and storage carry it.
pub fn locale_tag(locale: Locale) -> &'static str {
    match locale {
        Locale::vi => "vi",
        Locale::en => "en",
    }
}

pub fn store_locale(locale: Locale) {
    let tag = locale_tag(locale);
    // Private browsing may refuse storage; the switch still works for this visit.
    let _ = LocalStorage::set(LOCALE_KEY, tag);
}
