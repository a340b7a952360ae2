//! Addresses the site builds: a value percent-encoded for a query, and the way back after a
//! detour (signing in, switching the language), which only ever leads to a page of this site.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, PercentEncode, utf8_percent_encode};

/// Encoded in a query value: everything but RFC 3986's unreserved characters.
const VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encoded in a path of this site given as a query value: the same, but slashes stay readable.
const PATH_VALUE: &AsciiSet = &VALUE.remove(b'/');

/// `value` percent-encoded for a query (`?saved=indicator%3Ard-intensity`).
pub fn query_value(value: &str) -> PercentEncode<'_> {
    utf8_percent_encode(value, VALUE)
}

/// The query `next=…` naming the page (path and query) to come back to.
pub fn next_query(next: &str) -> String {
    format!("next={}", utf8_percent_encode(next, PATH_VALUE))
}

/// The way back given in a query, when it is a page of this site; else the home page. A
/// protocol-relative `//host`, a backslash (read as a slash by browsers) or anything unprintable
/// could lead elsewhere.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && n.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_return_address_is_encoded_with_its_slashes_kept() {
        assert_eq!(
            next_query("/audit?year=2023&plan=a"),
            "next=/audit%3Fyear%3D2023%26plan%3Da"
        );
        assert_eq!(next_query("/plans/a b"), "next=/plans/a%20b");
    }

    #[test]
    fn query_values_keep_only_unreserved_characters() {
        assert_eq!(
            query_value("indicator:rd-intensity/2 ~x").to_string(),
            "indicator%3Ard-intensity%2F2%20~x"
        );
        assert_eq!(query_value("研发").to_string(), "%E7%A0%94%E5%8F%91");
    }

    #[test]
    fn only_pages_of_this_site_are_ways_back() {
        assert_eq!(safe_next(Some("/plans/a?b=c")), "/plans/a?b=c");
        for away in ["//elsewhere.example/", "https://x", "/\\evil", "/a b", ""] {
            assert_eq!(safe_next(Some(away)), "/", "{away}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
