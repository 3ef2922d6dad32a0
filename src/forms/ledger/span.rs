//! 意见建议办理 over a summary's span, from the ledger's state at the span's last published
//! month: items collected and settled within the span, and at its end the 办结率 and the overdue.

use std::collections::BTreeMap;

use super::state::ItemState;
use super::store;
use crate::config::Config;
use crate::core::hive::partition_path;
use crate::core::part::{Col, Table, V};
use crate::core::text::Period;
use crate::forms::{KeptPart, SpanFrame};
use crate::history::HistoryError;

/// The summary workbook's sheet of the ledger.
pub const SHEET: &str = "意见建议办理";

/// Shown for a unit that has never sent a ledger: its figures are unknown, never zero.
const NOT_SENT: &str = "未报送台账";

/// The ledger figures of a unit or of the whole region over the span.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LedgerFigures {
    /// Items whose 收集日期 lies in the span.
    pub collected: u64,
    /// Items settled (已解决 or 已答复) with a 办结日期 in the span.
    pub settled: u64,
    /// Of those, 已解决.
    pub solved: u64,
    /// Every item known at the span's end (累计收集).
    pub collected_total: u64,
    /// Of those, settled (累计办结).
    pub settled_total: u64,
    /// Open and overdue at the span's end.
    pub overdue: u64,
}

impl LedgerFigures {
    /// 办结率 at the span's end = settled / collected so far; none when nothing was collected.
    pub fn rate(&self) -> Option<f64> {
        (self.collected_total > 0).then(|| self.settled_total as f64 / self.collected_total as f64)
    }

    fn add(&mut self, o: &LedgerFigures) {
        self.collected += o.collected;
        self.settled += o.settled;
        self.solved += o.solved;
        self.collected_total += o.collected_total;
        self.settled_total += o.settled_total;
        self.overdue += o.overdue;
    }

    /// The cells of the summary table's row, after the unit's name.
    fn cells(&self) -> Vec<V> {
        let n = |x: u64| V::I(Some(x as i64));
        vec![
            n(self.collected),
            n(self.settled),
            n(self.solved),
            n(self.collected_total),
            n(self.settled_total),
            V::S(self.rate()),
            n(self.overdue),
        ]
    }
}

/// One unit's ledger over the span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerUnit {
    /// Unit id.
    pub unit_id: String,
    /// Name as configured (the id for a unit the config does not know).
    pub name: String,
    /// None: the unit has never sent a ledger (未报送台账), never zeros.
    pub figures: Option<LedgerFigures>,
}

/// The span's ledger.
#[derive(Debug, Clone, PartialEq)]
pub enum LedgerSummary {
    /// Summed from the ledger at the end of `as_of`.
    Summed {
        /// The last published month of the span.
        as_of: Period,
        /// sha256 of its ledger partition (as its manifest names it).
        sha256: String,
        /// Days after which an open item is overdue.
        due_days: u32,
        /// Per unit, config order then others by id.
        units: Vec<LedgerUnit>,
        /// The region: the units with figures.
        total: LedgerFigures,
        /// The categories of the overdue items, most first (at most three).
        overdue_categories: Vec<String>,
    },
    /// `as_of` was published without a ledger (an earlier version of liaison).
    NotKept(Period),
    /// No month of the span is published.
    NoMonth,
}

/// The span's ledger from the partitions kept at the end of `as_of`, the span's last published
/// month: summed from the ledger's, or `NotKept` when the month was published without one.
pub fn from_parts(
    kept: &[KeptPart],
    (first, last): (Period, Period),
    as_of: Period,
    config: &Config,
) -> Result<LedgerSummary, HistoryError> {
    let Some(part) = kept.iter().find(|k| k.name == store::DIR) else {
        return Ok(LedgerSummary::NotKept(as_of));
    };
    let items = store::read_bytes(&part.bytes, &part.path)?;
    let at = (as_of, part.sha256.clone());
    Ok(summarise(&items, (first, last), at, config))
}

/// The span's ledger figures (its first and last month) from the items known at the end of
/// `as_of`, whose partition the manifest names by `sha256`.
pub fn summarise(
    items: &[ItemState],
    (first, last): (Period, Period),
    (as_of, sha256): (Period, String),
    config: &Config,
) -> LedgerSummary {
    let (from, to) = (first.first_day(), last.last_day());
    let within = |d: Option<chrono::NaiveDate>| d.is_some_and(|d| from <= d && d <= to);
    let due_days = config.ledger.due_days;
    let mut per: BTreeMap<&str, LedgerFigures> = BTreeMap::new();
    let mut categories: BTreeMap<&str, u64> = BTreeMap::new();
    for i in items {
        let f = per.entry(i.unit_id.as_str()).or_default();
        let settled = i.status.settled();
        f.collected_total += 1;
        f.settled_total += u64::from(settled);
        f.collected += u64::from(within(Some(i.collected)));
        if settled && within(i.settled) {
            f.settled += 1;
            f.solved += u64::from(i.status.solved());
        }
        if i.overdue(as_of, due_days) {
            f.overdue += 1;
            *categories.entry(i.category.as_str()).or_default() += 1;
        }
    }
    let mut units: Vec<LedgerUnit> = config
        .units
        .iter()
        .map(|u| LedgerUnit {
            unit_id: u.id.clone(),
            name: u.name.clone(),
            figures: per.get(u.id.as_str()).copied(),
        })
        .collect();
    units.extend(
        per.iter()
            .filter(|(id, _)| config.unit(id).is_none())
            .map(|(id, f)| LedgerUnit {
                unit_id: id.to_string(),
                name: id.to_string(),
                figures: Some(*f),
            }),
    );
    let mut total = LedgerFigures::default();
    for f in units.iter().filter_map(|u| u.figures.as_ref()) {
        total.add(f);
    }
    let mut top: Vec<(&str, u64)> = categories.into_iter().collect();
    top.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    LedgerSummary::Summed {
        as_of,
        sha256,
        due_days,
        units,
        total,
        overdue_categories: top.iter().take(3).map(|c| c.0.to_string()).collect(),
    }
}

/// `2022年6月`.
fn month_words(p: Period) -> String {
    format!("{}年{}月", p.year(), p.month())
}

impl LedgerSummary {
    /// The ledger partition the summary read, as its manifest names it: the path (relative to
    /// the output folder) and its sha256; None when none was read.
    pub fn file(&self) -> Option<(String, String)> {
        match self {
            LedgerSummary::Summed { as_of, sha256, .. } => {
                Some((partition_path(store::DIR, *as_of), sha256.clone()))
            }
            _ => None,
        }
    }

    /// 意见建议办理: per unit, collected and settled in the span, and at its end.
    pub fn table(&self, frame: &SpanFrame) -> Table {
        let (end, g) = ("期末", "期内");
        let cols = vec![
            Col::new("镇街").max(12.0),
            Col::new("收集").in_group(g).max(11.0),
            Col::new("办结").in_group(g),
            Col::new("其中\n解决").in_group(g),
            Col::new("累计\n收集").in_group(end),
            Col::new("累计\n办结").in_group(end),
            Col::new("办结率").in_group(end),
            Col::new("超期\n未办结").in_group(end),
        ];
        let mut t = Table {
            title: frame.title("意见建议办理情况"),
            cols,
            rows: Vec::new(),
            total: None,
            freeze_cols: 1,
            notes: Vec::new(),
        };
        match self {
            LedgerSummary::Summed {
                as_of,
                due_days,
                units,
                total,
                ..
            } => {
                for u in units {
                    let mut row = vec![V::T(u.name.clone())];
                    match &u.figures {
                        Some(f) => row.extend(f.cells()),
                        None => {
                            row.push(V::T(NOT_SENT.into()));
                            row.extend((0..6).map(|_| V::I(None)));
                        }
                    }
                    t.rows.push(row);
                }
                t.total = Some(
                    std::iter::once(V::T("合计".into()))
                        .chain(total.cells())
                        .collect(),
                );
                t.notes.push(format!(
                    "注：取自{}月底的意见建议台账。期内收集、办结按收集日期、办结日期在{}内计；办结＝已解决＋已答复；办结率＝期末累计办结÷期末累计收集；超期未办结指{}月底仍未办结、收集日期距月底超过{due_days}天的；“{NOT_SENT}”的镇街不计入合计，不作零计。",
                    month_words(*as_of),
                    frame.label,
                    month_words(*as_of),
                ));
            }
            LedgerSummary::NotKept(p) => t.notes.push(format!(
                "注：{}的发布没有意见建议台账（由以前版本发布），本期不作统计。",
                month_words(*p)
            )),
            LedgerSummary::NoMonth => t.notes.push("注：本期没有已发布的月份。".into()),
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ledger::Status;
    use chrono::NaiveDate;

    fn p(s: &str) -> Period {
        Period::parse_canonical(s).unwrap()
    }

    fn item(unit: &str, id: &str, collected: (u32, u32), status: Status) -> ItemState {
        let date = |(m, d)| NaiveDate::from_ymd_opt(2022, m, d).unwrap();
        ItemState {
            unit_id: unit.into(),
            item_id: id.into(),
            station: "站".into(),
            deputies: vec!["甲".into()],
            content: "路灯".into(),
            category: "城乡建设".into(),
            handler: String::new(),
            collected: date(collected),
            status,
            settled: status.settled().then(|| date((6, 20))),
            first_period: p("2022-01"),
            source_sha256: "0".repeat(64),
        }
    }

    fn frame() -> SpanFrame {
        SpanFrame {
            before: "长沙县2022年5月至6月".into(),
            after: String::new(),
            label: "2022年5月至6月".into(),
        }
    }

    #[test]
    fn the_items_at_the_spans_end_are_summed_per_unit_and_read_back_from_their_bytes() {
        let config = Config::embedded();
        let unit = config.units[0].id.clone();
        let items = vec![
            item(&unit, "1", (5, 3), Status::Solved),
            item(&unit, "2", (1, 3), Status::InProgress),
            item("elsewhere", "1", (6, 1), Status::Answered),
        ];
        let bytes = store::parquet_bytes(&items).unwrap();
        let kept = [KeptPart {
            name: store::DIR,
            path: "ledger/period=2022-06/part-0.parquet".into(),
            bytes,
            sha256: "ab".into(),
        }];
        let span = (p("2022-05"), p("2022-06"));
        let s = from_parts(&kept, span, p("2022-06"), &config).unwrap();
        let LedgerSummary::Summed { units, total, .. } = &s else {
            panic!("{s:?}")
        };
        assert_eq!(units.len(), config.units.len() + 1);
        let first = units[0].figures.unwrap();
        assert_eq!((first.collected, first.settled, first.solved), (1, 1, 1));
        assert_eq!((first.collected_total, first.overdue), (2, 1));
        assert_eq!(units.last().unwrap().name, "elsewhere");
        assert!(
            units[1..units.len() - 1]
                .iter()
                .all(|u| u.figures.is_none())
        );
        assert_eq!((total.collected, total.settled, total.solved), (2, 2, 1));
        let file = ("ledger/period=2022-06/part-0.parquet".into(), "ab".into());
        assert_eq!(s.file(), Some(file));
        let t = s.table(&frame());
        assert_eq!(t.title, "长沙县2022年5月至6月意见建议办理情况");
        assert_eq!(t.rows.len(), units.len());
        assert!(t.notes[0].contains("在2022年5月至6月内计"), "{:?}", t.notes);
    }

    #[test]
    fn a_month_published_without_a_ledger_or_no_month_is_said_in_a_note() {
        let config = Config::embedded();
        let span = (p("2022-05"), p("2022-06"));
        let s = from_parts(&[], span, p("2022-06"), &config).unwrap();
        assert_eq!(s, LedgerSummary::NotKept(p("2022-06")));
        assert_eq!(s.file(), None);
        let t = s.table(&frame());
        assert!(t.rows.is_empty() && t.total.is_none());
        assert_eq!(
            t.notes,
            ["注：2022年6月的发布没有意见建议台账（由以前版本发布），本期不作统计。"]
        );
        let t = LedgerSummary::NoMonth.table(&frame());
        assert_eq!(t.notes, ["注：本期没有已发布的月份。"]);
    }
}
