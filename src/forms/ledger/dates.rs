//! Ledger dates: Excel date cells (1900 and 1904 systems, via calamine), ODF dates, and the text
//! spellings the ledger accepts (2022-05-15, 2022/5/15, 2022.5.15, 2022年5月15日). Nothing else is a date.

use std::sync::OnceLock;

use calamine::{Data, DataType};
use regex::Regex;

use super::NaiveDate;
use crate::core::text::{fold, fold_keep_spaces};
use crate::workbook::cell_text;

fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"^([0-9]{4})\s*([-/.年])\s*([0-9]{1,2})\s*([-/.月])\s*([0-9]{1,2})\s*([日号])?(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?)?$",
        )
        .expect("valid date regex")
    })
}

/// A date cell: an Excel date (either epoch), an ISO date from an .ods, or text written
/// 2022-05-15, 2022/5/15, 2022.5.15 or 2022年5月15日. `Ok(None)` for a blank cell; `Err` carries
/// the cell as written, for the finding.
pub fn parse_date(d: &Data) -> Result<Option<NaiveDate>, NotADate> {
    let shown = || cell_text(d);
    let date = match d {
        Data::Empty => return Ok(None),
        Data::String(s) if fold(s).is_empty() => return Ok(None),
        Data::DateTime(x) if x.is_datetime() => x.as_datetime().map(|t| t.date()),
        Data::DateTimeIso(_) => d.as_date(),
        Data::String(s) => text_date(s),
        _ => None,
    };
    match date {
        Some(d) if (2000..2100).contains(&chrono::Datelike::year(&d)) => Ok(Some(d)),
        _ => Err(NotADate(shown())),
    }
}

/// A date cell that holds no date of 2000–2099: the cell as written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotADate(pub String);

fn text_date(s: &str) -> Option<NaiveDate> {
    let t = fold_keep_spaces(s);
    let c = date_regex().captures(&t)?;
    let seps = (&c[2], &c[4], c.get(6).is_some());
    let ok = matches!(
        seps,
        ("-", "-", false) | ("/", "/", false) | (".", ".", false) | ("年", "月", _)
    );
    if !ok {
        return None;
    }
    NaiveDate::from_ymd_opt(c[1].parse().ok()?, c[3].parse().ok()?, c[5].parse().ok()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn ymd(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn every_date_spelling() {
        for s in [
            "2022-05-15",
            "2022/5/15",
            "2022.5.15",
            "2022年5月15日",
            "2022年05月15号",
            "２０２２年５月１５日",
            " 2022-05-15 00:00:00 ",
            "2022 年 5 月 15 日",
        ] {
            assert_eq!(
                parse_date(&Data::String(s.into())),
                Ok(ymd(2022, 5, 15)),
                "{s}"
            );
        }
        for s in [
            "2022-5/15",
            "2022.5",
            "2022-02-30",
            "5月15日",
            "十五日",
            "20220515",
            "2022-05-15日",
        ] {
            assert!(parse_date(&Data::String(s.into())).is_err(), "{s}");
        }
        assert_eq!(parse_date(&Data::String("  ".into())), Ok(None));
        assert_eq!(parse_date(&Data::Empty), Ok(None));
        assert!(parse_date(&Data::Float(44696.0)).is_err());
    }

    #[test]
    fn excel_dates_in_both_epochs() {
        let d1900 = ExcelDateTime::new(44696.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(parse_date(&Data::DateTime(d1900)), Ok(ymd(2022, 5, 15)));
        let d1904 = ExcelDateTime::new(44696.0 - 1462.0, ExcelDateTimeType::DateTime, true);
        assert_eq!(parse_date(&Data::DateTime(d1904)), Ok(ymd(2022, 5, 15)));
        let iso = Data::DateTimeIso("2022-05-15T00:00:00".into());
        assert_eq!(parse_date(&iso), Ok(ymd(2022, 5, 15)));
        let iso = Data::DateTimeIso("2022-05-15".into());
        assert_eq!(parse_date(&iso), Ok(ymd(2022, 5, 15)));
        let dur = ExcelDateTime::new(3.5, ExcelDateTimeType::TimeDelta, false);
        assert!(parse_date(&Data::DateTime(dur)).is_err());
    }
}
