//! Numbers as people type them into the staff forms, and back: scores and points with a
//! decimal comma or dot, and whole counts.

use thidua_domain::error::FieldError;
use thidua_domain::points::PointsParseError;
use thidua_domain::Points;

/// Vietnamese writes 9,5; the inputs show numbers the way the reader types them.
pub fn decimal_comma() -> bool {
    crate::i18n::use_i18n().get_locale_untracked() == crate::i18n::Locale::vi
}

/// Points as a person would type them: `9,5` where the decimal mark is a comma (Vietnamese),
/// `9.5` otherwise. Either parses.
pub fn points_input(p: Points, decimal_comma: bool) -> String {
    let text = p.to_string();
    if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    }
}

/// "" is "not scored"; anything else must be a number (a comma or a dot for decimals).
pub fn parse_score(text: &str) -> Result<Option<Points>, FieldError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    text.parse::<Points>().map(Some).map_err(|e| match e {
        PointsParseError::TooPrecise => FieldError::TooPrecise,
        PointsParseError::NotANumber | PointsParseError::OutOfRange => FieldError::NotANumber,
    })
}

/// A count typed by staff: empty is "none", otherwise a whole number.
pub fn parse_count(text: &str) -> Result<Option<u32>, FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.starts_with('-') {
        return Err(FieldError::Negative);
    }
    t.parse::<u32>().map(Some).map_err(|_| FieldError::NotANumber)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_score_keeps_not_scored_apart_from_zero() {
        assert_eq!(parse_score("  "), Ok(None));
        assert_eq!(parse_score("0"), Ok(Some(Points::ZERO)));
        assert_eq!(parse_score("1,255"), Err(FieldError::TooPrecise));
        assert_eq!(parse_score("mười"), Err(FieldError::NotANumber));
    }

    #[test]
    fn counts_are_whole_and_not_negative() {
        assert_eq!(parse_count(" "), Ok(None));
        assert_eq!(parse_count("12"), Ok(Some(12)));
        assert_eq!(parse_count("-1"), Err(FieldError::Negative));
        assert_eq!(parse_count("1,5"), Err(FieldError::NotANumber));
    }

    #[test]
    fn points_are_typed_with_the_readers_mark() {
        assert_eq!(points_input(Points::from_hundredths(950), true), "9,5");
        assert_eq!(points_input(Points::from_hundredths(950), false), "9.5");
    }
}
