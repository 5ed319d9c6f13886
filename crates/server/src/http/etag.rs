//! Entity tags: one tag for the bytes this server sends itself (the SPA's files, rendered
//! pages), and one reading of `If-None-Match` for every answer that has a tag.

use axum::http::header::IF_NONE_MATCH;
use axum::http::{HeaderMap, HeaderValue};
use sha2::{Digest, Sha256};

/// A strong tag for `bytes`: the first 12 bytes of their SHA-256, in hex and quotes.
pub fn of(bytes: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    HeaderValue::try_from(format!("\"{hex}\"")).unwrap_or(HeaderValue::from_static("\"\""))
}

/// Whether `If-None-Match` names `etag` (or is `*`). A GET compares weakly, so `W/"…"` matches
/// too: a proxy that compresses an answer (nginx does) makes its tag weak.
pub fn not_modified(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let tag = etag.as_bytes();
    headers.get_all(IF_NONE_MATCH).iter().any(|v| {
        v.as_bytes().split(|&b| b == b',').any(|t| {
            let t = t.trim_ascii();
            t == b"*" || t.strip_prefix(b"W/").unwrap_or(t) == tag
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn asked(value: &'static str) -> HeaderMap {
        HeaderMap::from_iter([(IF_NONE_MATCH, HeaderValue::from_static(value))])
    }

    #[test]
    fn the_same_bytes_have_the_same_strong_tag() {
        let tag = of(b"thi dua");
        assert_eq!(tag, of(b"thi dua"));
        assert_ne!(tag, of(b"khen thuong"));
        assert_eq!(tag.len(), 26, "{tag:?}");
    }

    #[test]
    fn if_none_match_matches_weakly_in_lists_and_as_a_star() {
        let tag = HeaderValue::from_static("\"abc\"");
        assert!(not_modified(&asked("\"abc\""), &tag));
        assert!(not_modified(&asked("W/\"abc\""), &tag));
        assert!(not_modified(&asked("\"x\", W/\"abc\""), &tag));
        assert!(not_modified(&asked("*"), &tag));
        assert!(!not_modified(&asked("\"abcd\""), &tag));
        assert!(!not_modified(&HeaderMap::new(), &tag));
    }
}
