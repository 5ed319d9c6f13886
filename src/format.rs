//! Numbers and dates in the reader's language: Vietnamese writes 92,5 and 1.000; English
//! 92.5 and 1,000. Written here rather than through the browser's `Intl` so that the server,
//! which renders the same pages, writes exactly what the browser will (no jump when the app
//! takes over); the patterns are few and fixed, and a date library would only add to the
//! download.

use thidua_domain::Points;

use crate::i18n::Locale;

/// `12.5` → "12,5" (vi) or "12.5" (en); at most two decimals, none when whole; thousands
/// grouped ("1.000" / "1,000").
pub fn points(p: Points, locale: Locale) -> String {
    match locale {
        Locale::vi => thidua_domain::documents::points_text(p, '.', ','),
        Locale::en => thidua_domain::documents::points_text(p, ',', '.'),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// `(year, month, day)` of an ISO `YYYY-MM-DD` date.
fn parse_date(iso: &str) -> Option<(i64, u32, u32)> {
    if !thidua_domain::dates::is_iso_date(iso) {
        return None;
    }
    Some((iso[..4].parse().ok()?, iso[5..7].parse().ok()?, iso[8..10].parse().ok()?))
}

fn write_date((year, month, day): (i64, u32, u32), locale: Locale, short_month: bool) -> String {
    match locale {
        Locale::vi => format!("{day:02}/{month:02}/{year}"),
        Locale::en => {
            let name = MONTHS[month as usize - 1];
            let name = if short_month { &name[..3] } else { name };
            format!("{day} {name} {year}")
        }
    }
}

/// An ISO `YYYY-MM-DD` date → "25/01/2018" (vi) or "25 January 2018" (en). Anything
/// unparseable is shown as it came, never hidden.
pub fn date(iso: &str, locale: Locale) -> String {
    parse_date(iso).map(|d| write_date(d, locale, false)).unwrap_or_else(|| iso.to_owned())
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01 (`civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if month <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, month, day)
}

/// Minutes since the epoch of an RFC 3339 instant (`2019-03-01T08:30:00Z`, or with an offset).
fn parse_instant(text: &str) -> Option<i64> {
    let (date, time) = text.split_once(['T', 't', ' '])?;
    let (year, month, day) = parse_date(date)?;
    let hours: i64 = time.get(..2)?.parse().ok()?;
    let minutes: i64 = time.get(3..5)?.parse().ok()?;
    if time.get(2..3)? != ":" || hours > 23 || minutes > 59 {
        return None;
    }
    let zone = time.find(['Z', 'z', '+', '-']).map(|i| &time[i..])?;
    let offset = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let h: i64 = zone.get(1..3)?.parse().ok()?;
            let m: i64 = zone.get(4..6)?.parse().ok()?;
            sign * (h * 60 + m)
        }
    };
    Some((days_from_civil(year, month, day) * 24 + hours) * 60 + minutes - offset)
}

/// The reader's offset from UTC at `minutes` since the epoch, in minutes east: the browser's
/// time zone; on the server, Vietnam's (UTC+7, no daylight saving), where readers are.
fn local_offset(minutes: i64) -> i64 {
    #[cfg(target_arch = "wasm32")]
    {
        let at = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(minutes as f64 * 60_000.0));
        -(at.get_timezone_offset() as i64)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let _ = minutes;
        7 * 60
    }
}

/// An RFC 3339 instant → "25/01/2018 14:05" (vi) or "25 Jan 2018, 14:05" (en), in the
/// reader's own time zone.
pub fn date_time(rfc3339: &str, locale: Locale) -> String {
    let Some(utc) = parse_instant(rfc3339) else { return rfc3339.to_owned() };
    let local = utc + local_offset(utc);
    let (days, minute_of_day) = (local.div_euclid(1440), local.rem_euclid(1440));
    let day = write_date(civil_from_days(days), locale, true);
    let (h, m) = (minute_of_day / 60, minute_of_day % 60);
    match locale {
        Locale::vi => format!("{day} {h:02}:{m:02}"),
        Locale::en => format!("{day}, {h:02}:{m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_in_both_languages() {
        assert_eq!(points(Points::from_hundredths(9250), Locale::vi), "92,5");
        assert_eq!(points(Points::from_hundredths(9250), Locale::en), "92.5");
        assert_eq!(points(Points::from_hundredths(100_025), Locale::vi), "1.000,25");
        assert_eq!(points(Points::from_hundredths(123_456_700), Locale::en), "1,234,567");
        assert_eq!(points(Points::from_hundredths(-50), Locale::vi), "-0,5");
        assert_eq!(points(Points::ZERO, Locale::en), "0");
    }

    #[test]
    fn dates_in_both_languages() {
        assert_eq!(date("2018-01-25", Locale::vi), "25/01/2018");
        assert_eq!(date("2018-01-25", Locale::en), "25 January 2018");
        assert_eq!(date("2018-02-30", Locale::en), "2018-02-30", "not a date: shown as it came");
        // 08:30 UTC is 15:30 in Vietnam, the server's zone; the 1st of March follows the 28th of February.
        assert_eq!(date_time("2019-03-01T08:30:00Z", Locale::vi), "01/03/2019 15:30");
        assert_eq!(date_time("2019-02-28T20:00:00Z", Locale::en), "1 Mar 2019, 03:00");
        assert_eq!(date_time("2019-03-01T08:30:00+07:00", Locale::en), "1 Mar 2019, 08:30");
        assert_eq!(date_time("yesterday", Locale::vi), "yesterday");
        for days in [-800_000, -1, 0, 17_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
