//! Translated texts in the view.

/// A translated text that follows the language switch. Every use is the same closure type,
/// so the renderer for it is compiled once instead of once per string (this keeps the
/// download small); use `t!` only where a text interpolates values.
pub fn tr(text: fn(crate::i18n::Locale) -> &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = crate::i18n::use_i18n();
    move || text(i18n.get_locale())
}
