//! The record sheets of the summary: 报送考核 per unit (from the manifests and the receipt
//! log, "—" where it was not kept), 覆盖说明 per month.

use super::Page;
use crate::report::workbook::table::{Col, Table, V};
use crate::summary::cover::{LogState, MonthCover, Role};
use crate::summary::span::{month_words, months_words};

/// The note on a 初步 summary: the months not published and the units each month left out.
pub(super) fn partial_note(page: &Page) -> Option<String> {
    let s = page.summary;
    if !s.preliminary() {
        return None;
    }
    let mut note = String::from("注：本汇总为初步数据。");
    let missing = s.missing();
    if !missing.is_empty() {
        note.push_str(&format!("{}未发布，未计入。", months_words(&missing)));
    }
    for m in &s.months {
        let Some(p) = m.published.as_ref().filter(|p| !p.left_out.is_empty()) else {
            continue;
        };
        let names: Vec<String> = p.left_out.iter().map(|l| l.describe()).collect();
        note.push_str(&format!(
            "{}未计入{}个单位：{}。",
            month_words(m.period),
            names.len(),
            names.join("、")
        ));
    }
    Some(note)
}

/// 报送考核: per unit, months due, counted, left out and why, and from the receipt log the
/// versions sent back, first versions accepted and months on time.
pub(super) fn assessment(page: &Page) -> Table {
    let a = &page.summary.assessment;
    let g = "收文登记";
    let cols = vec![
        Col::new("序号"),
        Col::new("镇街").max(12.0),
        Col::new("应报\n月数"),
        Col::new("计入\n月数"),
        Col::new("未计入的月份及原因").max(40.0),
        Col::new("退回\n次数").in_group(g),
        Col::new("首次报送\n即通过\n（月）").in_group(g),
        Col::new("按时\n报送\n（月）").in_group(g),
    ];
    let rows = a
        .units
        .iter()
        .enumerate()
        .map(|(k, u)| {
            let out: Vec<String> = u
                .left_out
                .iter()
                .map(|(p, why)| format!("{}：{why}", month_words(*p)))
                .collect();
            let r = u.record.as_ref();
            let on_time = r.filter(|r| a.due_day.is_some() && r.unknown_on_time == 0);
            vec![
                V::I(Some(k as i64 + 1)),
                V::T(u.name.clone()),
                V::I(Some(u.due as i64)),
                V::I(Some(u.counted as i64)),
                V::T(if out.is_empty() {
                    "—".into()
                } else {
                    out.join("；")
                }),
                V::I(r.map(|r| r.sent_back as i64)),
                V::I(r.map(|r| r.first_accepted as i64)),
                V::I(on_time.map(|r| r.on_time as i64)),
            ]
        })
        .collect();
    let mut notes = vec![format!(
        "注：应报月数为本期已发布的月份数（{}）；计入月数为该镇街报表通过审核、计入汇总的月份数。",
        page.published_words()
    )];
    notes.push(if a.logged.is_empty() {
        "收文登记各列：本期各月没有收文登记（未登记），记“—”。".into()
    } else if a.not_logged.is_empty() {
        "收文登记各列按各月收文登记计。".into()
    } else {
        format!(
            "收文登记各列只计有收文登记的{}；{}没有收文登记（未登记），不计入。",
            months_words(&a.logged),
            months_words(&a.not_logged)
        )
    });
    notes.push(match a.due_day {
        Some(d) => format!(
            "按时报送：通过审核、计入汇总的那一版报表，文件修改时间不晚于次月{d}日当天；收文登记中找不到该版本的镇街记“—”。"
        ),
        None => "按时报送：配置中没有设定报送期限（[schedule] due_day），记“—”。".into(),
    });
    Table {
        title: page.title("各镇街报送考核情况"),
        cols,
        rows,
        total: None,
        freeze_cols: 2,
        notes,
    }
}

fn cover_row(m: &MonthCover, page: &Page) -> Vec<V> {
    let role = match m.role {
        Role::Current => "本期",
        Role::PreviousYear => "上年同期",
    };
    let mut row = vec![V::T(month_words(m.period)), V::T(role.into())];
    let Some(p) = &m.published else {
        row.push(V::T("未发布".into()));
        row.extend((0..6).map(|_| V::T("—".into())));
        return row;
    };
    let out: Vec<String> = p.left_out.iter().map(|l| l.describe()).collect();
    let lacking: Vec<String> = p.lacking.iter().map(|id| page.label(id)).collect();
    let log = match &p.log {
        None => "—".to_string(),
        Some(LogState::Kept(_)) => "有".into(),
        Some(LogState::NotKept) => "未登记".into(),
        Some(LogState::Unreadable(why)) => format!("无法读取：{why}"),
    };
    row.extend([
        V::T(if p.preliminary { "初步" } else { "正式" }.into()),
        V::I(Some(p.units as i64)),
        V::I(Some(p.stations)),
        V::T(if out.is_empty() {
            "—".into()
        } else {
            out.join("、")
        }),
        V::T(if lacking.is_empty() {
            "—".into()
        } else {
            lacking.join("、")
        }),
        V::T(log),
        V::T(p.manifest_sha256.clone()),
    ]);
    row
}

/// 覆盖说明: each month of the span (and of the previous year used for 同比): its publication,
/// 初步 or not, units counted and left out, metrics its form lacked, its receipt log.
pub(super) fn coverage(page: &Page) -> Table {
    let s = page.summary;
    let cols = vec![
        Col::new("月份").max(12.0),
        Col::new("用途"),
        Col::new("发布"),
        Col::new("计入\n单位"),
        Col::new("工作站"),
        Col::new("未计入的单位及原因").max(34.0),
        Col::new("报表式样\n缺少的指标").max(12.0),
        Col::new("收文\n登记").max(10.0),
        Col::new("发布清单\nmanifest.json 的 sha256").max(18.0),
    ];
    let rows = s
        .months
        .iter()
        .chain(&s.previous)
        .map(|m| cover_row(m, page))
        .collect();
    let mut notes = vec![
        "注：每个月的数字都取自该月的发布（output/YYYY-MM/）及其历史分区，分区与发布清单记录的 sha256 一致才读取；本汇总的 manifest.json 按 sha256 列出所用的各月发布。".into(),
    ];
    notes.extend(partial_note(page));
    Table {
        title: page.title("汇总覆盖说明"),
        cols,
        rows,
        total: None,
        freeze_cols: 1,
        notes,
    }
}
