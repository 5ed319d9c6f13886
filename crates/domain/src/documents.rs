//! How the year's documents write what the product holds (issue 22): the shape Vietnamese
//! administrative documents give dates, numbers and vote shares (Decree 30/2020/NĐ-CP), and the
//! one rounding of a share that the screens and the documents both use.

use crate::points::Points;

/// `votes` of `base` in hundredths of a percent, rounded half up (92,857… % → 9286); `None` on
/// an empty base.
pub fn percent_hundredths(votes: u32, base: u32) -> Option<u64> {
    (base > 0).then(|| (u64::from(votes) * 10_000 + u64::from(base) / 2) / u64::from(base))
}

/// A share with two decimals: "92,86 %" with a decimal comma (a no-break space before the sign,
/// which never starts a line of its own), "92.86%" without.
pub fn percent_text(votes: u32, base: u32, decimal_comma: bool) -> String {
    match percent_hundredths(votes, base) {
        None => "–".to_owned(),
        Some(h) if decimal_comma => format!("{},{:02}\u{a0}%", h / 100, h % 100),
        Some(h) => format!("{}.{:02}%", h / 100, h % 100),
    }
}

/// "13/14 phiếu, đạt 92,86 %": votes on their base, as minutes write them.
pub fn share_vi(votes: u32, base: u32) -> String {
    format!("{votes}/{base} phiếu, đạt {}", percent_text(votes, base, true))
}

/// Points with a decimal comma and no trailing zeros, thousands grouped with a dot: 97,5;
/// 100; 1.000,25.
pub fn points_vi(p: Points) -> String {
    points_text(p, '.', ',')
}

/// Points with these separators, at most two decimals, none when whole: what every screen
/// (`format::points` in the app, per language) and every document write.
pub fn points_text(p: Points, group: char, decimal: char) -> String {
    // The canonical text has a dot, no trailing zeros and a leading '-' when negative.
    let canonical = p.to_string();
    let (sign, digits) = match canonical.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", canonical.as_str()),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push(decimal);
        out.push_str(frac);
    }
    out
}

/// `YYYY-MM-DD` (or the start of an RFC 3339 time) as a document dates it: "ngày 30 tháng 11
/// năm 2018"; a day below 10 and the months 1 and 2 take a leading zero (Decree 30/2020,
/// Annex I), so "ngày 05 tháng 02 năm 2019". `None` when it is not such a date.
pub fn date_vi(iso: &str) -> Option<String> {
    let date = iso.get(..10)?;
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let all_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(y, 4) || !all_digits(m, 2) || !all_digits(d, 2) {
        return None;
    }
    let (month, day): (u32, u32) = (m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let month = if month <= 2 { format!("{month:02}") } else { month.to_string() };
    Some(format!("ngày {day:02} tháng {month} năm {y}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_half_up_with_a_decimal_comma() {
        assert_eq!(share_vi(13, 14), "13/14 phiếu, đạt 92,86\u{a0}%");
        assert_eq!(share_vi(6, 8), "6/8 phiếu, đạt 75,00\u{a0}%");
        assert_eq!(percent_text(2, 3, false), "66.67%");
        assert_eq!(percent_text(1, 0, true), "–");
        assert_eq!(percent_hundredths(1, 8), Some(1250));
    }

    #[test]
    fn points_use_the_decimal_comma_and_group_thousands_with_a_dot() {
        assert_eq!(points_vi(Points::from_hundredths(9750)), "97,5");
        assert_eq!(points_vi(Points::from_hundredths(10_000)), "100");
        assert_eq!(points_vi(Points::from_hundredths(100_025)), "1.000,25");
    }

    #[test]
    fn dates_as_decree_30_writes_them() {
        assert_eq!(date_vi("2018-11-30").as_deref(), Some("ngày 30 tháng 11 năm 2018"));
        assert_eq!(date_vi("2019-02-05T08:00:00Z").as_deref(), Some("ngày 05 tháng 02 năm 2019"));
        assert_eq!(date_vi("2019-03-05").as_deref(), Some("ngày 05 tháng 3 năm 2019"));
        assert_eq!(date_vi("2019-13-05"), None);
        assert_eq!(date_vi("30/11/2018"), None);
    }
}
