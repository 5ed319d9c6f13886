//! Points as exact decimals: hundredths of a point in an integer, so that sums of
//! 0.5- or 0.25-point scores never drift the way `f64` sums do.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A number of points, stored in hundredths (`Points::from_hundredths(1250)` is 12.5).
///
/// On the wire it is a plain JSON number (`12.5`); more than two decimals are refused.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Points(i64);

/// Why a text or number is not a valid amount of points.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PointsParseError {
    #[error("not a number")]
    NotANumber,
    #[error("more than two decimal places")]
    TooPrecise,
    #[error("out of range")]
    OutOfRange,
}

impl Points {
    pub const ZERO: Points = Points(0);
    /// The largest amount accepted anywhere (a 1000-point scale with room to spare).
    pub const LIMIT: Points = Points(1_000_000 * 100);

    pub const fn from_hundredths(h: i64) -> Self {
        Points(h)
    }

    pub const fn whole(p: i64) -> Self {
        Points(p * 100)
    }

    pub const fn hundredths(self) -> i64 {
        self.0
    }

    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Accepts a float only when it is a whole number of hundredths (JSON numbers such as
    /// `12.5` or `0.25`); anything finer is an error, never a silent rounding.
    pub fn from_f64(v: f64) -> Result<Self, PointsParseError> {
        if !v.is_finite() {
            return Err(PointsParseError::NotANumber);
        }
        let scaled = v * 100.0;
        if scaled.abs() > Self::LIMIT.0 as f64 {
            return Err(PointsParseError::OutOfRange);
        }
        let rounded = scaled.round();
        if (scaled - rounded).abs() > 1e-6 {
            return Err(PointsParseError::TooPrecise);
        }
        Ok(Points(rounded as i64))
    }

    /// True when `self` is a whole multiple of `step` (a zero step allows anything).
    pub fn is_multiple_of(self, step: Points) -> bool {
        step.0 == 0 || self.0 % step.0 == 0
    }

    pub fn min(self, other: Points) -> Points {
        Points(self.0.min(other.0))
    }

    pub fn max(self, other: Points) -> Points {
        Points(self.0.max(other.0))
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl Add for Points {
    type Output = Points;
    fn add(self, rhs: Points) -> Points {
        Points(self.0 + rhs.0)
    }
}

impl AddAssign for Points {
    fn add_assign(&mut self, rhs: Points) {
        self.0 += rhs.0;
    }
}

impl Sub for Points {
    type Output = Points;
    fn sub(self, rhs: Points) -> Points {
        Points(self.0 - rhs.0)
    }
}

impl SubAssign for Points {
    fn sub_assign(&mut self, rhs: Points) {
        self.0 -= rhs.0;
    }
}

impl Neg for Points {
    type Output = Points;
    fn neg(self) -> Points {
        Points(-self.0)
    }
}

impl Sum for Points {
    fn sum<I: Iterator<Item = Points>>(iter: I) -> Points {
        iter.fold(Points::ZERO, Add::add)
    }
}

impl<'a> Sum<&'a Points> for Points {
    fn sum<I: Iterator<Item = &'a Points>>(iter: I) -> Points {
        iter.copied().sum()
    }
}

/// The canonical text: `12.5`, `7`, `0.25`, `-3` — a dot, no trailing zeros.
/// Locale-aware display (a comma in Vietnamese) is the SPA's job.
impl fmt::Display for Points {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let (int, frac) = (abs / 100, abs % 100);
        match frac {
            0 => write!(f, "{sign}{int}"),
            f2 if f2 % 10 == 0 => write!(f, "{sign}{int}.{}", f2 / 10),
            f2 => write!(f, "{sign}{int}.{f2:02}"),
        }
    }
}

/// Parses what people type: `12`, `12.5`, `12,5` (the Vietnamese decimal comma), ` 0.25 `.
impl FromStr for Points {
    type Err = PointsParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let (negative, digits) = match s.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, s),
        };
        let (int, frac) = match digits.find(['.', ',']) {
            Some(i) => (&digits[..i], &digits[i + 1..]),
            None => (digits, ""),
        };
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if (int.is_empty() && frac.is_empty()) || !all_digits(int) || !all_digits(frac) {
            return Err(PointsParseError::NotANumber);
        }
        if frac.len() > 2 {
            return Err(PointsParseError::TooPrecise);
        }
        if int.len() > 9 {
            return Err(PointsParseError::OutOfRange);
        }
        let int: i64 = if int.is_empty() { 0 } else { int.parse().map_err(|_| PointsParseError::NotANumber)? };
        let frac: i64 = match frac.len() {
            0 => 0,
            1 => frac.parse::<i64>().map_err(|_| PointsParseError::NotANumber)? * 10,
            _ => frac.parse().map_err(|_| PointsParseError::NotANumber)?,
        };
        let value = int * 100 + frac;
        if value > Self::LIMIT.0 {
            return Err(PointsParseError::OutOfRange);
        }
        Ok(Points(if negative { -value } else { value }))
    }
}

impl Serialize for Points {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Whole points go out as integers, the rest as the shortest exact decimal.
        if self.0 % 100 == 0 {
            serializer.serialize_i64(self.0 / 100)
        } else {
            serializer.serialize_f64(self.to_f64())
        }
    }
}

impl<'de> Deserialize<'de> for Points {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let v = f64::deserialize(deserializer)?;
        Points::from_f64(v).map_err(serde::de::Error::custom)
    }
}

/// The JSON Schema of points, from the constants above: a number in hundredths
/// (`multipleOf: 0.01`). Sums (totals, a table's maximum) may go past `LIMIT`, so only the
/// named variants, for what is typed in (scores, adjustment lines, a minimum total), keep
/// within `±LIMIT` and add their own bounds (a criterion's own maximum and step are data).
#[cfg(feature = "openapi")]
mod schema {
    use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
    use utoipa::openapi::RefOr;

    use super::Points;

    /// The smallest step a number of points can take.
    pub const HUNDREDTH: f64 = 0.01;

    fn hundredths(nullable: bool) -> ObjectBuilder {
        let kind = if nullable { SchemaType::from_iter([Type::Number, Type::Null]) } else { Type::Number.into() };
        ObjectBuilder::new().schema_type(kind).multiple_of(Some(HUNDREDTH))
    }

    /// Typed in: at least `min` (or above `exclusive_min`), at most `LIMIT`.
    fn number(min: Option<f64>, exclusive_min: Option<f64>, nullable: bool) -> ObjectBuilder {
        let limit = Points::LIMIT.to_f64();
        hundredths(nullable)
            .minimum(Some(min.unwrap_or(-limit)).filter(|_| exclusive_min.is_none()))
            .exclusive_minimum(exclusive_min)
            .maximum(Some(limit))
    }

    // Written as utoipa's `ComposeSchema` (its `PartialSchema` follows from it) rather than
    // `PartialSchema` itself, so `Points` can also be a generic argument in a schema
    // (`Changed<Option<Points>>` in a revisions diff).
    impl utoipa::__dev::ComposeSchema for Points {
        fn compose(_generics: Vec<RefOr<Schema>>) -> RefOr<Schema> {
            hundredths(false)
                .description(Some(
                    "A number of points, exact to the hundredth: a plain JSON number (`12.5`); more than two \
                     decimals are refused.",
                ))
                .examples([12.5])
                .into()
        }
    }

    impl utoipa::ToSchema for Points {}

    /// A score: `null` (not scored yet) or from 0 up.
    pub fn score_schema() -> Schema {
        number(Some(0.0), None, true).build().into()
    }

    /// Zero or more.
    pub fn non_negative_schema() -> Schema {
        number(Some(0.0), None, false).build().into()
    }

    /// Above zero.
    pub fn positive_schema() -> Schema {
        number(None, Some(0.0), false).build().into()
    }
}

#[cfg(feature = "openapi")]
pub use schema::{non_negative_schema, positive_schema, score_schema, HUNDREDTH};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_points_add_up_exactly() {
        let sum: Points = std::iter::repeat_n(Points::from_hundredths(10), 1000).sum();
        assert_eq!(sum, Points::whole(100));
        // 0.1 added 1000 times as f64 drifts; the same in Points does not.
        let f: f64 = std::iter::repeat_n(0.1f64, 1000).sum();
        assert_ne!(f, 100.0);
        let halves: Points = ["0.5", "0.25", "0.25", "12.5", "7"].iter().map(|s| s.parse::<Points>().unwrap()).sum();
        assert_eq!(halves, Points::from_hundredths(2050));
    }

    #[test]
    fn parses_typed_numbers_in_both_notations() {
        assert_eq!("12,5".parse::<Points>(), Ok(Points::from_hundredths(1250)));
        assert_eq!(" 12.5 ".parse::<Points>(), Ok(Points::from_hundredths(1250)));
        assert_eq!("0.25".parse::<Points>(), Ok(Points::from_hundredths(25)));
        assert_eq!(".5".parse::<Points>(), Ok(Points::from_hundredths(50)));
        assert_eq!("-3".parse::<Points>(), Ok(Points::whole(-3)));
        assert_eq!("abc".parse::<Points>(), Err(PointsParseError::NotANumber));
        assert_eq!("".parse::<Points>(), Err(PointsParseError::NotANumber));
        assert_eq!("1.2.3".parse::<Points>(), Err(PointsParseError::NotANumber));
        assert_eq!("1.125".parse::<Points>(), Err(PointsParseError::TooPrecise));
        assert_eq!("99999999999".parse::<Points>(), Err(PointsParseError::OutOfRange));
    }

    #[test]
    fn displays_canonically() {
        assert_eq!(Points::from_hundredths(1250).to_string(), "12.5");
        assert_eq!(Points::from_hundredths(1225).to_string(), "12.25");
        assert_eq!(Points::from_hundredths(1205).to_string(), "12.05");
        assert_eq!(Points::whole(7).to_string(), "7");
        assert_eq!(Points::from_hundredths(-50).to_string(), "-0.5");
    }

    #[test]
    fn steps() {
        let half = Points::from_hundredths(50);
        assert!(Points::from_hundredths(1250).is_multiple_of(half));
        assert!(!Points::from_hundredths(1225).is_multiple_of(half));
        assert!(Points::from_hundredths(1225).is_multiple_of(Points::from_hundredths(25)));
        assert!(Points::from_hundredths(1).is_multiple_of(Points::ZERO));
    }

    #[test]
    fn json_round_trip_and_refusal_of_finer_values() {
        let p: Points = serde_json::from_str("12.5").unwrap();
        assert_eq!(p, Points::from_hundredths(1250));
        assert_eq!(serde_json::to_string(&p).unwrap(), "12.5");
        assert_eq!(serde_json::to_string(&Points::whole(90)).unwrap(), "90");
        assert!(serde_json::from_str::<Points>("12.345").is_err());
        assert!(serde_json::from_str::<Points>("\"12\"").is_err());
        assert!(serde_json::from_str::<Points>("1e300").is_err());
    }
}
