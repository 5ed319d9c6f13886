//! Generates the typed i18n module from `locales/*.json`: a missing or misspelt key is a
//! compile error, not a blank on screen.
//!
//! The parser and code generator are leptos_i18n's own (what `leptos_i18n_build` calls), used
//! directly: `leptos_i18n_build` adds ICU data export (a CLDR source over HTTPS, rustls, ring,
//! rayon, ndarray) that this app never uses, and cargo compiled it for every build of the app
//! (about 55 s of CPU each on 2 cores).

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_parser::parse_locales::options::{Config, ParseOptions};
use leptos_i18n_parser::parse_locales::parse_locales;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // Vietnamese first: it is the default locale.
    // interpolate_display: attributes (aria-label, title) need translations as strings.
    let options = ParseOptions::default().interpolate_display(true);
    let parsed = parse_locales(None, Config::new("vi")?.add_locale("en")?.parse_options(options))?;
    for warning in parsed.diag.warnings().iter() {
        println!("cargo::warning={warning}");
    }
    for error in parsed.diag.errors().iter() {
        println!("cargo::error={error}");
    }
    for path in parsed.tracked_files.iter().flatten() {
        println!("cargo::rerun-if-changed={path}");
    }
    let code = leptos_i18n_codegen::gen_code(&parsed, None, false, None, true)?;
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("mod.rs"), code.to_string())?;
    Ok(())
}
