//! What the ledger adds to a month's reports (a [`Part`]): the workbook's sheets 意见建议办理
//! (per unit and in all, with a native 办结率 chart) and 超期清单 (every overdue item, longest
//! open first), the 办结率-by-unit chart, and the briefing's paragraph.

use std::collections::BTreeMap;

use super::state::{Figures, ItemState, MonthState, UnitFigures};
use crate::config::Config;
use crate::report::briefing::fill;
use crate::report::charts::Percentages;
use crate::report::workbook::table::{Col, Table, V};
use crate::report::workbook::{Bars, Sheet};
use crate::report::{Page, Part};

/// The suggestions ledger per unit and in all.
pub const LEDGER: &str = "意见建议办理";
/// Every overdue ledger item.
pub const OVERDUE: &str = "超期清单";
/// Words of the 办结率 chart beside the config's (checked against the shipped font in tests).
pub const TEXTS: [&str; 3] = [
    "各镇街意见建议办结率",
    "办结率（%）",
    "未报送台账的镇街不列入",
];

/// Shown for a unit that has never sent a ledger: its figures are unknown, never zero.
pub const NOT_SENT: &str = "未报送台账";

fn counts(f: &Figures) -> Vec<V> {
    let n = |x: u64| V::I(Some(x as i64));
    vec![
        n(f.collected_month),
        n(f.collected_total),
        n(f.solved),
        n(f.answered),
        n(f.in_progress),
        n(f.not_started),
        n(f.overdue),
        V::S(f.rate()),
    ]
}

impl Part for MonthState {
    fn sheets(&self, page: &Page) -> Vec<Sheet> {
        vec![summary(self, page), overdue(self, page)]
    }

    fn charts(&self, page: &Page) -> Vec<Percentages> {
        vec![Percentages {
            name: "ledger_rate_by_unit".into(),
            title: page.chart_title(TEXTS[0]),
            axis: format!("{}；{}", TEXTS[1], TEXTS[2]),
            data: rates(self, page.config),
        }]
    }

    fn briefing(&self, page: &Page, vars: &BTreeMap<String, String>) -> String {
        paragraph(self, page.config, vars)
    }
}

/// Units with figures first (in config order: the chart draws these rows), then the others.
pub(crate) fn ordered(state: &MonthState) -> (Vec<&UnitFigures>, Vec<&UnitFigures>) {
    state.units.iter().partition(|u| u.figures.is_some())
}

/// 意见建议办理: one row per unit, the county total, then the 办结率 chart on its own page.
fn summary(state: &MonthState, page: &Page) -> Sheet {
    let name = |id: &str| {
        page.config
            .unit(id)
            .map_or(id.to_string(), |u| u.name.clone())
    };
    let (with, without) = ordered(state);
    let mut rows = Vec::new();
    for u in &with {
        let mut row = vec![V::T(name(&u.unit_id))];
        row.extend(counts(&u.figures.unwrap_or_default()));
        row.push(V::T(if u.sent {
            String::new()
        } else {
            "本月未报送台账，沿用上月状态".into()
        }));
        rows.push(row);
    }
    for u in &without {
        let mut row = vec![V::T(name(&u.unit_id)), V::T(NOT_SENT.into())];
        row.extend(std::iter::repeat_n(V::T("—".into()), 7));
        row.push(V::T("未报送台账，不计入合计".into()));
        rows.push(row);
    }
    let mut total = vec![V::T("合计".into())];
    total.extend(counts(&state.total));
    total.push(V::T(String::new()));
    let g = "办理状态";
    let t = Table {
        title: page.title("意见建议办理情况"),
        cols: vec![
            Col::new("镇街").max(12.0),
            Col::new("本月\n收集").max(11.0),
            Col::new("累计\n收集"),
            Col::new("已解决").in_group(g),
            Col::new("已答复").in_group(g),
            Col::new("正在\n办理").in_group(g),
            Col::new("未办理").in_group(g),
            Col::new("超期\n未办结"),
            Col::new("办结率"),
            Col::new("备注").max(24.0),
        ],
        rows,
        total: Some(total),
        freeze_cols: 1,
        notes: vec![format!(
            "注：办结率＝（已解决＋已答复）÷累计收集；超期未办结指收集日期距月末超过{}天仍未办结的；“{NOT_SENT}”的镇街不计入合计，不作零计。",
            state.due_days
        )],
    };
    Sheet {
        name: LEDGER.into(),
        table: t,
        repeat_header: false,
        chart: Some(Bars {
            title: format!("各镇街意见建议办结率{}", page.prelim),
            series: "办结率".into(),
            column: 8,
            rows: with.len() as u32,
            percent: true,
        }),
    }
}

/// 超期清单: every overdue item, longest open first.
fn overdue(state: &MonthState, page: &Page) -> Sheet {
    let name = |id: &str| {
        page.config
            .unit(id)
            .map_or(id.to_string(), |u| u.name.clone())
    };
    let items = state.overdue();
    let rows: Vec<Vec<V>> = items
        .iter()
        .map(|i| {
            vec![
                V::T(name(&i.unit_id)),
                V::T(i.station.clone()),
                V::T(i.item_id.clone()),
                V::T(i.collected.to_string()),
                V::I(Some(i.days_open(state.period))),
                V::T(i.content.clone()),
                V::T(i.handler.clone()),
            ]
        })
        .collect();
    let n = rows.len();
    let note = if n == 0 {
        format!("本月没有超期（超过{}天）未办结的意见建议。", state.due_days)
    } else {
        format!(
            "注：共{n}条，按已办天数从多到少排列；已办天数计至{}。",
            super::last_day(state.period)
        )
    };
    let t = Table {
        title: page.title("超期未办结意见建议清单"),
        cols: vec![
            Col::new("镇街").max(10.0),
            Col::new("工作站").max(14.0),
            Col::new("编号").max(16.0),
            Col::new("收集日期").max(11.0),
            Col::new("已办\n天数"),
            Col::new("意见建议内容").max(36.0),
            Col::new("承办单位").max(18.0),
        ],
        rows,
        total: None,
        freeze_cols: 3,
        notes: vec![note],
    };
    Sheet {
        name: OVERDUE.into(),
        table: t,
        repeat_header: n > 20,
        chart: None,
    }
}

/// 办结率 per unit with a ledger, highest first: (unit name, percent).
fn rates(state: &MonthState, config: &Config) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = state
        .units
        .iter()
        .filter_map(|u| {
            let rate = u.figures?.rate()?;
            let name = config
                .unit(&u.unit_id)
                .map_or(u.unit_id.clone(), |x| x.name.clone());
            Some((name, rate * 100.0))
        })
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}

/// The ledger paragraph (empty when no unit has a ledger): totals, 办结率, the overdue items
/// and the categories most of them are in, then the units that never sent a ledger.
fn paragraph(state: &MonthState, config: &Config, vars: &BTreeMap<String, String>) -> String {
    let b = &config.briefing;
    let t = &state.total;
    let Some(rate) = t.rate() else {
        return String::new();
    };
    let mut v = vars.clone();
    v.insert("due_days".into(), state.due_days.to_string());
    let overdue = state.overdue();
    let part = if overdue.is_empty() {
        fill(&b.ledger_no_overdue, &v)
    } else {
        let mut v = v.clone();
        v.insert("count".into(), overdue.len().to_string());
        v.insert(
            "categories".into(),
            top_categories(&overdue, config).join("、"),
        );
        fill(&b.ledger_overdue, &v)
    };
    for (k, x) in [
        ("collected", t.collected_total),
        ("settled", t.settled()),
        ("solved", t.solved),
    ] {
        v.insert(k.into(), x.to_string());
    }
    v.insert("rate".into(), format!("{:.1}", rate * 100.0));
    v.insert("overdue".into(), part);
    let mut out = fill(&b.ledger, &v) + "\n\n";
    let never: Vec<String> = state
        .units
        .iter()
        .filter(|u| u.figures.is_none())
        .map(|u| {
            config
                .unit(&u.unit_id)
                .map_or(u.unit_id.clone(), |x| x.name.clone())
        })
        .collect();
    if !never.is_empty() {
        v.insert("count".into(), never.len().to_string());
        v.insert("units".into(), never.join("、"));
        out.push_str(&fill(&b.ledger_missing, &v));
        out.push_str("\n\n");
    }
    out
}

/// The (at most two) categories with the most overdue items, ties in the config's order.
fn top_categories(overdue: &[&ItemState], config: &Config) -> Vec<String> {
    let cats = &config.ledger.categories;
    let mut counts: Vec<(usize, usize, &str)> = cats
        .iter()
        .enumerate()
        .map(|(k, c)| {
            (
                overdue.iter().filter(|i| &i.category == c).count(),
                k,
                c.as_str(),
            )
        })
        .filter(|x| x.0 > 0)
        .collect();
    counts.sort_by_key(|x| (std::cmp::Reverse(x.0), x.1));
    counts
        .into_iter()
        .take(2)
        .map(|x| x.2.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_font_has_every_glyph_of_the_ledger_chart() {
        let all: String = super::TEXTS.concat() + "0123456789.%";
        assert!(
            crate::report::font::missing_glyphs(&all).is_empty(),
            "{:?}",
            crate::report::font::missing_glyphs(&all)
        );
    }
}
