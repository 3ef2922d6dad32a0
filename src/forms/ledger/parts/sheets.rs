//! The ledger's sheets: 意见建议办理 (per unit and in all, with a native 办结率 chart) and 超期清单
//! (overdue items, longest open first: the longest in the workbook, all in a file of their own).

use super::{LEDGER, NOT_SENT, OVERDUE, overdue_file_name, unit_name};
use crate::config::Config;
use crate::core::part::{BarChart, Col, Frame, Sheet, Table, V};
use crate::forms::ledger::state::{Figures, MonthState, UnitFigures};

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

/// Units with figures first (in config order: the chart draws these rows), then the others.
fn ordered(state: &MonthState) -> (Vec<&UnitFigures>, Vec<&UnitFigures>) {
    state.units.iter().partition(|u| u.figures.is_some())
}

/// 意见建议办理: one row per unit, the county total, then the 办结率 chart on its own page.
pub(super) fn summary(state: Option<&MonthState>, frame: &Frame, config: &Config) -> Sheet {
    let Some(state) = state else {
        return empty(LEDGER, frame, "意见建议办理情况");
    };
    let (with, without) = ordered(state);
    let mut rows = Vec::new();
    for u in &with {
        let mut row = vec![V::T(unit_name(config, &u.unit_id))];
        row.extend(counts(&u.figures.unwrap_or_default()));
        row.push(V::T(if u.sent {
            String::new()
        } else {
            "本月未报送台账，沿用上月状态".into()
        }));
        rows.push(row);
    }
    for u in &without {
        let mut row = vec![V::T(unit_name(config, &u.unit_id)), V::T(NOT_SENT.into())];
        row.extend(std::iter::repeat_n(V::I(None), 6));
        row.push(V::S(None));
        row.push(V::T("未报送台账，不计入合计".into()));
        rows.push(row);
    }
    let mut total = vec![V::T("合计".into())];
    total.extend(counts(&state.total));
    total.push(V::T(String::new()));
    let g = "办理状态";
    let table = Table {
        title: frame.title("意见建议办理情况"),
        cols: vec![
            Col::new(frame.word("镇街")).max(12.0),
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
        notes: vec![frame.word(&format!(
            "注：办结率＝（已解决＋已答复）÷累计收集；超期未办结指收集日期距月末超过{}天仍未办结的；“{NOT_SENT}”的镇街不计入合计，不作零计。",
            state.due_days
        ))],
    };
    let n = with.len() as u32;
    let chart = (n > 0).then(|| BarChart {
        title: frame.word(&format!("各镇街意见建议办结率{}", frame.prelim)),
        series: "办结率".into(),
        category_col: 0,
        value_col: 8,
        rows: n,
        width: 640,
        height: 60 + 26 * n,
    });
    Sheet {
        name: LEDGER.into(),
        table,
        repeat: false,
        chart,
    }
}

/// 超期清单: overdue items, longest open first: in the monthly workbook the count and the
/// `OVERDUE_SHOWN` longest open with a line naming the full list's file (`limit`), in that
/// file every item (`None`).
pub(super) fn overdue(
    state: Option<&MonthState>,
    frame: &Frame,
    config: &Config,
    limit: Option<usize>,
) -> Sheet {
    let Some(state) = state else {
        return empty(OVERDUE, frame, "超期未办结意见建议清单");
    };
    let items = state.overdue();
    let n = items.len();
    let shown = limit.map_or(n, |k| k.min(n));
    let rows: Vec<Vec<V>> = items
        .iter()
        .take(shown)
        .map(|i| {
            vec![
                V::T(unit_name(config, &i.unit_id)),
                V::T(i.station.clone()),
                V::T(i.item_id.clone()),
                V::T(i.collected.to_string()),
                V::I(Some(i.days_open(state.period))),
                V::T(i.content.clone()),
                V::T(i.handler.clone()),
            ]
        })
        .collect();
    let until = state.period.last_day();
    let file = overdue_file_name(config, state.period);
    let (title, note) = if n == 0 {
        (
            "超期未办结意见建议清单".to_string(),
            format!("本月没有超期（超过{}天）未办结的意见建议。", state.due_days),
        )
    } else if shown < n {
        (
            format!("超期未办结意见建议（已办天数最多的{shown}条）"),
            format!(
                "注：本月超期未办结的共{n}条，本表列出已办天数最多的{shown}条；全部{n}条见本月发布文件夹中的“{file}”，需要时单独打印。已办天数计至{until}。"
            ),
        )
    } else {
        let whole = if limit.is_some() {
            format!("清单另见“{file}”。")
        } else {
            String::new()
        };
        (
            "超期未办结意见建议清单".to_string(),
            format!("注：共{n}条，按已办天数从多到少排列；已办天数计至{until}。{whole}"),
        )
    };
    let table = Table {
        title: frame.title(&title),
        cols: vec![
            Col::new(frame.word("镇街")).max(10.0),
            Col::new("工作站").max(16.0),
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
        table,
        repeat: shown > 20,
        chart: None,
    }
}

/// A sheet that says the ledger was not computed (only a workbook built without an archive).
fn empty(name: &str, frame: &Frame, what: &str) -> Sheet {
    Sheet {
        name: name.into(),
        table: Table {
            title: frame.title(what),
            cols: vec![Col::new("说明").max(40.0)],
            rows: vec![vec![V::T("本表没有台账数据".into())]],
            total: None,
            freeze_cols: 0,
            notes: Vec::new(),
        },
        repeat: false,
        chart: None,
    }
}
