//! The clock: now, and the one text shape every stored time has.

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::OffsetDateTime;

/// Now, in UTC, to the second.
pub fn now() -> OffsetDateTime {
    let now = OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now)
}

/// The one shape every stored time has (`2019-03-01T08:30:00Z`), so times also compare as text.
pub fn timestamp(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    t.format(format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z"))
        .unwrap_or_else(|_| t.unix_timestamp().to_string())
}

/// Reads any RFC 3339 time, e.g. one set by hand in the database.
pub fn parse_timestamp(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_have_one_shape() {
        let t = OffsetDateTime::from_unix_timestamp(1_551_429_000).unwrap();
        assert_eq!(timestamp(t), "2019-03-01T08:30:00Z");
        assert_eq!(parse_timestamp("2019-03-01T08:30:00Z"), Some(t));
        assert_eq!(parse_timestamp("2019-03-01T15:30:00+07:00"), Some(t));
        assert_eq!(parse_timestamp("yesterday"), None);
    }
}
