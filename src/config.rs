//! Run-time configuration. The API base URL is read from `index.html` when the app starts,
//! so one build can be pointed at any backend that speaks the contract: edit the
//! `<meta name="thidua-api-base" content="…">` tag of the deployed `index.html`.

use std::sync::OnceLock;

const META_NAME: &str = "thidua-api-base";

static API_BASE: OnceLock<String> = OnceLock::new();

/// The API base URL without a trailing slash; empty means "the origin the app came from".
pub fn api_base() -> &'static str {
    API_BASE.get_or_init(|| normalize(&read_meta().unwrap_or_default()))
}

fn read_meta() -> Option<String> {
    // The server renders only pages whose API is its own (the tag empty).
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let document = web_sys::window()?.document()?;
    let meta = document.query_selector(&format!("meta[name=\"{META_NAME}\"]")).ok()??;
    meta.get_attribute("content")
}

/// Trims spaces and trailing slashes, so `https://api.example/` and `https://api.example`
/// both give paths like `https://api.example/api/years`.
pub fn normalize(base: &str) -> String {
    base.trim().trim_end_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn normalizes_the_base() {
        assert_eq!(normalize(""), "");
        assert_eq!(normalize(" https://api.example/ "), "https://api.example");
        assert_eq!(normalize("http://127.0.0.1:9000//"), "http://127.0.0.1:9000");
        assert_eq!(normalize("/backend/"), "/backend");
    }
}
