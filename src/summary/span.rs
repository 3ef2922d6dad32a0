//! The months a summary covers — a year, a half, a quarter or any range of months — and the
//! label that names it in its folder, titles and sentences (2022年上半年, 2022年1月至6月).

use crate::core::text::Period;

/// Longest range of months one summary covers: its units × months sheets still print at a
/// legible size on one A4 width.
pub const MAX_MONTHS: usize = 24;

/// How the span was asked for (it decides the label).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `--year 2022`.
    Year,
    /// `--half 2022-H1`: 1 or 2.
    Half(u8),
    /// `--quarter 2022-Q2`: 1 to 4.
    Quarter(u8),
    /// `--from 2022-01 --to 2022-06`.
    Range,
}

/// The months of a summary, first to last, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First month.
    pub first: Period,
    /// Last month.
    pub last: Period,
    /// How it was asked for.
    pub kind: Kind,
}

/// A span that cannot be read or is not a span (said to the user as it is).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct SpanError(pub String);

fn year_of(s: &str, what: &str) -> Result<i32, SpanError> {
    s.trim()
        .parse::<i32>()
        .ok()
        .filter(|y| Period::new(*y, 1).is_some())
        .ok_or_else(|| SpanError(format!("{what}“{s}”中的年份不对，请写四位年份，如 2022")))
}

/// `2022-H1`, `2022H2`, `2022年上半年` → (year, n).
fn split_numbered(s: &str, letter: char, max: u8, what: &str) -> Result<(i32, u8), SpanError> {
    let bad = || {
        SpanError(format!(
            "{what}“{s}”格式不对，请写成 YYYY-{letter}n（n 为 1–{max}），如 2022-{letter}{max}"
        ))
    };
    let t = s.trim().to_ascii_uppercase();
    let (y, n) = t.split_once(letter).ok_or_else(bad)?;
    let y = y.trim_end_matches(['-', '_', ' ']);
    let n: u8 = n.trim().parse().map_err(|_| bad())?;
    if !(1..=max).contains(&n) {
        return Err(bad());
    }
    Ok((year_of(y, what)?, n))
}

impl Span {
    /// `--year 2022`.
    pub fn year(s: &str) -> Result<Span, SpanError> {
        let y = year_of(s.trim().trim_end_matches('年'), "年份")?;
        Span::of(y, 1, 12, Kind::Year)
    }

    /// `--half 2022-H1` (also `2022年上半年`, `2022年下半年`).
    pub fn half(s: &str) -> Result<Span, SpanError> {
        let (y, n) = match (s.strip_suffix("年上半年"), s.strip_suffix("年下半年")) {
            (Some(y), _) => (year_of(y, "半年")?, 1),
            (_, Some(y)) => (year_of(y, "半年")?, 2),
            _ => split_numbered(s, 'H', 2, "半年")?,
        };
        let first = if n == 1 { 1 } else { 7 };
        Span::of(y, first, first + 5, Kind::Half(n))
    }

    /// `--quarter 2022-Q2` (also `2022年第2季度`).
    pub fn quarter(s: &str) -> Result<Span, SpanError> {
        let cn = s
            .strip_suffix("季度")
            .and_then(|r| r.split_once("年第"))
            .and_then(|(y, n)| Some((y, n.parse::<u8>().ok()?)));
        let (y, n) = match cn {
            Some((y, n)) if (1..=4).contains(&n) => (year_of(y, "季度")?, n),
            _ => split_numbered(s, 'Q', 4, "季度")?,
        };
        let first = u32::from(n) * 3 - 2;
        Span::of(y, first, first + 2, Kind::Quarter(n))
    }

    /// `--from 2022-01 --to 2022-06`: at most [`MAX_MONTHS`] months, first not after last.
    pub fn range(first: Period, last: Period) -> Result<Span, SpanError> {
        if first > last {
            return Err(SpanError(format!(
                "--from {first} 在 --to {last} 之后：请把起始月份写在前"
            )));
        }
        let span = Span {
            first,
            last,
            kind: Kind::Range,
        };
        if span.months().len() > MAX_MONTHS {
            return Err(SpanError(format!(
                "{first} 至 {last} 超过 {MAX_MONTHS} 个月：一份汇总最长 {MAX_MONTHS} 个月，请分段汇总（如按年）"
            )));
        }
        Ok(span)
    }

    fn of(year: i32, first: u32, last: u32, kind: Kind) -> Result<Span, SpanError> {
        let month = |m: u32| {
            Period::new(year, m).ok_or_else(|| SpanError(format!("{year} 年不是可以汇总的年份")))
        };
        Ok(Span {
            first: month(first)?,
            last: month(last)?,
            kind,
        })
    }

    /// Every month of the span, oldest first.
    pub fn months(&self) -> Vec<Period> {
        let mut v = vec![self.last];
        while let Some(&p) = v.last().filter(|p| **p > self.first) {
            v.push(p.previous());
        }
        v.reverse();
        v
    }

    /// The same months one year earlier, asked for the same way (同比); none before 2000.
    pub fn previous_year(&self) -> Option<Span> {
        let back = |p: Period| Period::new(p.year() - 1, p.month());
        Some(Span {
            first: back(self.first)?,
            last: back(self.last)?,
            kind: self.kind,
        })
    }

    /// The label: `2022年`, `2022年上半年`, `2022年第2季度`, `2022年1月至6月`,
    /// `2021年11月至2022年2月`, `2022年5月` (a range of one month).
    pub fn label(&self) -> String {
        let (f, l) = (self.first, self.last);
        match self.kind {
            Kind::Year => format!("{}年", f.year()),
            Kind::Half(1) => format!("{}年上半年", f.year()),
            Kind::Half(_) => format!("{}年下半年", f.year()),
            Kind::Quarter(n) => format!("{}年第{n}季度", f.year()),
            Kind::Range if f == l => month_words(f),
            Kind::Range if f.year() == l.year() => {
                format!("{}年{}月至{}月", f.year(), f.month(), l.month())
            }
            Kind::Range => format!("{}至{}", month_words(f), month_words(l)),
        }
    }

    /// Whether a month lies in the span.
    pub fn contains(&self, p: Period) -> bool {
        self.first <= p && p <= self.last
    }
}

/// `2022年5月`.
pub fn month_words(p: Period) -> String {
    format!("{}年{}月", p.year(), p.month())
}

/// Months named for a person: `2022年4月、6月` (the year said once per year).
pub fn months_words(months: &[Period]) -> String {
    let mut out = String::new();
    let mut year = None;
    for p in months {
        if !out.is_empty() {
            out.push('、');
        }
        if year == Some(p.year()) {
            out.push_str(&format!("{}月", p.month()));
        } else {
            out.push_str(&month_words(*p));
            year = Some(p.year());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Period {
        Period::parse_canonical(s).unwrap()
    }

    #[test]
    fn labels_and_months() {
        let y = Span::year("2022").unwrap();
        assert_eq!((y.label(), y.months().len()), ("2022年".into(), 12));
        let h = Span::half("2022-H1").unwrap();
        assert_eq!(h.label(), "2022年上半年");
        assert_eq!(
            h.months(),
            Span::range(p("2022-01"), p("2022-06")).unwrap().months()
        );
        assert_eq!(Span::half("2022h2").unwrap().first, p("2022-07"));
        assert_eq!(Span::half("2022年下半年").unwrap().label(), "2022年下半年");
        let q = Span::quarter("2022-Q2").unwrap();
        assert_eq!(
            (q.label(), q.first, q.last),
            ("2022年第2季度".into(), p("2022-04"), p("2022-06"))
        );
        assert_eq!(Span::quarter("2022年第4季度").unwrap().last, p("2022-12"));
        let r = Span::range(p("2022-01"), p("2022-06")).unwrap();
        assert_eq!(r.label(), "2022年1月至6月");
        let r = Span::range(p("2021-11"), p("2022-02")).unwrap();
        assert_eq!(
            (r.label(), r.months().len()),
            ("2021年11月至2022年2月".into(), 4)
        );
        assert_eq!(
            Span::range(p("2022-05"), p("2022-05")).unwrap().label(),
            "2022年5月"
        );
        assert_eq!(q.previous_year().unwrap().label(), "2021年第2季度");
    }

    #[test]
    fn refused_spans_say_why() {
        for bad in ["2022-Q5", "22-Q1", "2022", "2022-Q"] {
            assert!(Span::quarter(bad).is_err(), "{bad}");
        }
        assert!(Span::half("2022-H3").is_err());
        assert!(Span::year("二〇二二").is_err());
        let e = Span::range(p("2022-06"), p("2022-01")).unwrap_err();
        assert!(e.0.contains("之后"), "{e}");
        let e = Span::range(p("2020-01"), p("2022-12")).unwrap_err();
        assert!(e.0.contains("24"), "{e}");
    }

    #[test]
    fn months_in_words() {
        let v = [p("2021-12"), p("2022-04"), p("2022-06")];
        assert_eq!(months_words(&v), "2021年12月、2022年4月、6月");
    }
}
