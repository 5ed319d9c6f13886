//! Numbers and dates in the user's locale through the browser's `Intl`, so no locale data
//! ships in the wasm: Vietnamese writes 92,5 and 1.000; English 92.5 and 1,000.

use js_sys::{Array, Date, Intl, Object, Reflect};
use thidua_domain::Points;
use wasm_bindgen::JsValue;

use crate::i18n::Locale;

fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::vi => "vi-VN",
        Locale::en => "en-GB",
    }
}

fn options(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        // Setting a plain property on a fresh object cannot fail.
        let _ = Reflect::set(&o, &JsValue::from_str(k), v);
    }
    o
}

/// `12.5` → "12,5" (vi) or "12.5" (en); at most two decimals, none when whole.
pub fn points(p: Points, locale: Locale) -> String {
    let locales = Array::of1(&JsValue::from_str(tag(locale)));
    let opts = options(&[("maximumFractionDigits", 2.into()), ("minimumFractionDigits", 0.into())]);
    let formatter = Intl::NumberFormat::new(&locales, &opts);
    formatter
        .format()
        .call1(&JsValue::UNDEFINED, &JsValue::from_f64(p.to_f64()))
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| p.to_string())
}

/// An ISO `YYYY-MM-DD` date → "25/01/2018" (vi) or "25 January 2018" (en). Anything
/// unparseable is shown as it came, never hidden.
pub fn date(iso: &str, locale: Locale) -> String {
    let parsed = Date::new(&JsValue::from_str(&format!("{iso}T00:00:00Z")));
    if parsed.get_time().is_nan() {
        return iso.to_owned();
    }
    let locales = Array::of1(&JsValue::from_str(tag(locale)));
    let style = match locale {
        Locale::vi => [("day", "2-digit"), ("month", "2-digit"), ("year", "numeric")],
        Locale::en => [("day", "numeric"), ("month", "long"), ("year", "numeric")],
    };
    let mut pairs: Vec<(&str, JsValue)> = style.iter().map(|(k, v)| (*k, JsValue::from_str(v))).collect();
    pairs.push(("timeZone", JsValue::from_str("UTC")));
    let formatter = Intl::DateTimeFormat::new(&locales, &options(&pairs));
    formatter
        .format()
        .call1(&JsValue::UNDEFINED, &parsed)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| iso.to_owned())
}

/// An RFC 3339 instant → "25/01/2018, 14:05" (vi) or "25 Jan 2018, 14:05" (en), in the
/// reader's own time zone.
pub fn date_time(rfc3339: &str, locale: Locale) -> String {
    let parsed = Date::new(&JsValue::from_str(rfc3339));
    if parsed.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    let locales = Array::of1(&JsValue::from_str(tag(locale)));
    let opts = options(&[("dateStyle", JsValue::from_str("short")), ("timeStyle", JsValue::from_str("short"))]);
    Intl::DateTimeFormat::new(&locales, &opts)
        .format()
        .call1(&JsValue::UNDEFINED, &parsed)
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_else(|| rfc3339.to_owned())
}
