//! The figure sheets of the summary: 汇总 (every metric over the span, monthly average, 同比),
//! 分镇街 (totals, ranks, per month and per station), 代表层级 and 活动方式 (unit × group).

use super::Page;
use crate::report::workbook::table::{Col, Table, V};
use crate::summary::figures::{Total, Yoy};
use crate::summary::span::months_words;

/// "接待走访选民\n（人次）".
pub(super) fn head(label: &str, measure: &str) -> String {
    format!("{label}\n（{measure}）")
}

/// Ids in sheet order: deputies in all, each level, the single metrics, the methods.
fn order(page: &Page) -> Vec<(String, String)> {
    let c = page.config;
    let mut v = vec![(
        "deputies_total".to_string(),
        format!("{}（合计）", c.deputies_label()),
    )];
    v.extend(
        c.level_metrics()
            .map(|m| (m.id.clone(), format!("　其中：{}级", m.label))),
    );
    v.extend(
        c.headline_metrics()
            .map(|m| (m.id.clone(), m.label.clone())),
    );
    let methods = c.methods_label();
    v.extend(
        c.method_metrics()
            .map(|m| (m.id.clone(), format!("{methods}：{}", m.label))),
    );
    v
}

/// The notes on metrics a month's form lacked: named with the months, and the sum of the others.
fn lacking_notes(page: &Page) -> Vec<String> {
    let s = page.summary;
    order(page)
        .iter()
        .filter_map(|(id, _)| {
            let t = &s.county[s.index(id)?];
            (!t.lacking.is_empty()).then(|| {
                format!(
                    "{}：{}的报表式样没有该项，本期合计记“—”，不作 0 计（其余月份之和为 {}）",
                    page.title_of(id),
                    months_words(&t.lacking),
                    t.known
                )
            })
        })
        .collect()
}

fn yoy_note(page: &Page) -> String {
    let s = page.summary;
    let prev = s.span.previous_year().map_or(String::new(), |p| p.label());
    match &s.yoy {
        Yoy::Compared {
            same_units: true, ..
        } => {
            format!("同比为与{prev}同一月份之和相比，两年各月计入的单位相同。")
        }
        Yoy::Compared { pairs, .. } => format!(
            "同比为同口径比较：只比较两年同一月份都计入的单位（共 {pairs} 个单位·月），“本期（同口径）”为这些单位本期之和；各月计入单位见“覆盖说明”。"
        ),
        Yoy::NotPublished(v) if v.is_empty() => "没有上年同期可比，不作同比。".into(),
        Yoy::NotPublished(v) => format!(
            "上年同期的{}未发布，{prev}不全，不作同比。",
            months_words(v)
        ),
    }
}

/// 汇总: each metric over the span, its monthly average, and 同比.
pub(super) fn totals(page: &Page) -> Table {
    let s = page.summary;
    let months = s.published();
    let (like, same) = match &s.yoy {
        Yoy::Compared {
            same_units,
            current,
            previous,
            ..
        } => (Some((current, previous)), *same_units),
        Yoy::NotPublished(_) => (None, true),
    };
    let rows = order(page)
        .into_iter()
        .filter_map(|(id, label)| {
            let i = s.index(&id)?;
            let t = &s.county[i];
            let avg = t
                .value()
                .filter(|_| t.months > 0)
                .map(|v| v as f64 / t.months as f64);
            let (cur, prev) = like.map_or((None, None), |(c, p)| (c[i].value(), p[i].value()));
            let change = cur.zip(prev).map(|(c, p)| c - p);
            let pct = change
                .zip(prev)
                .filter(|(_, p)| *p > 0)
                .map(|(c, p)| c as f64 / p as f64);
            let mut row = vec![
                V::T(label),
                V::T(page.measure(&id)),
                V::I(t.value()),
                V::R(avg),
            ];
            if !same {
                row.push(V::I(cur));
            }
            row.extend([V::I(prev), V::I(change), V::P(pct)]);
            Some(row)
        })
        .collect();
    let mut cols = vec![
        Col::new("指标").max(24.0),
        Col::new("单位"),
        Col::new("本期合计"),
        Col::new("月均"),
    ];
    if !same {
        cols.push(Col::new("本期\n（同口径）"));
    }
    cols.extend([Col::new("上年同期"), Col::new("同比增减"), Col::new("同比")]);
    let mut notes = vec![format!(
        "注：本期合计为{}共 {months} 个已发布月份之和，月均为本期合计除以月数；{}按月计数，多个月相加为人次（同一代表每月进站各计一次）。",
        page.published_words(),
        page.config.deputies_label()
    )];
    notes.extend(lacking_notes(page));
    notes.push(yoy_note(page));
    notes.extend(super::records::partial_note(page));
    Table {
        title: page.title("代表进站活动汇总"),
        cols,
        rows,
        total: None,
        freeze_cols: 1,
        notes,
    }
}

/// The headline ids: deputies in all, then the single metrics.
fn headline(page: &Page) -> Vec<String> {
    std::iter::once("deputies_total".to_string())
        .chain(page.config.headline_metrics().map(|m| m.id.clone()))
        .collect()
}

fn rate(t: &Total, by: i64) -> Option<f64> {
    t.value().filter(|_| by > 0).map(|v| v as f64 / by as f64)
}

/// 分镇街: each unit's totals and ranks, per month and per station, months counted.
pub(super) fn units(page: &Page) -> Table {
    let s = page.summary;
    let ids = headline(page);
    let rated: Vec<String> = ids.iter().take(2).cloned().collect();
    let mut cols = vec![
        Col::new("序号"),
        Col::new("镇街").max(12.0),
        Col::new("计入\n月数"),
    ];
    for id in &ids {
        // The group cell is one line: the label alone; the measure goes under it.
        let g = page.label(id);
        cols.push(Col::new(format!("合计\n（{}）", page.measure(id))).in_group(&g));
        cols.push(Col::new("排名").in_group(&g));
    }
    for (what, _) in [("月均", 0), ("站均", 1)] {
        let g = if what == "月均" {
            "月均"
        } else {
            "站均（每站每月）"
        };
        cols.extend(
            rated
                .iter()
                .map(|id| Col::new(page.label(id)).in_group(g).max(10.0)),
        );
    }
    let rows = s
        .units
        .iter()
        .enumerate()
        .map(|(k, u)| {
            let mut row = vec![
                V::I(Some(k as i64 + 1)),
                V::T(u.name.clone()),
                V::I(Some(u.months.len() as i64)),
            ];
            for id in &ids {
                let i = s.index(id);
                row.push(V::I(i.and_then(|i| u.totals[i].value())));
                row.push(V::I(i.and_then(|i| u.ranks[i])));
            }
            for by in [u.months.len() as i64, u.station_months] {
                row.extend(
                    rated
                        .iter()
                        .map(|id| V::R(s.index(id).and_then(|i| rate(&u.totals[i], by)))),
                );
            }
            row
        })
        .collect();
    let stations: i64 = s.by_month.iter().map(|m| m.stations).sum();
    let mut total = vec![
        V::T(String::new()),
        V::T("合计".into()),
        V::I(Some(s.published() as i64)),
    ];
    for id in &ids {
        total.push(V::I(s.index(id).and_then(|i| s.county[i].value())));
        total.push(V::T(String::new()));
    }
    for by in [s.published() as i64, stations] {
        total.extend(
            rated
                .iter()
                .map(|id| V::R(s.index(id).and_then(|i| rate(&s.county[i], by)))),
        );
    }
    Table {
        title: page.title("各镇街代表进站活动情况"),
        cols,
        rows,
        total: Some(total),
        freeze_cols: 2,
        notes: vec![format!(
            "注：排名按本期合计从高到低，并列者同名次；月均＝合计÷计入月数；站均＝合计÷各月计入的工作站数之和（每站每月）；计入月数少于 {} 个月的镇街，合计中缺少未计入的月份（见“报送考核”）。",
            s.published()
        )],
    }
}

/// 代表层级 (`levels`) or 活动方式: unit × the group's metrics over the span, with totals.
pub(super) fn by_group(page: &Page, levels: bool) -> Table {
    let (s, c) = (page.summary, page.config);
    let (what, group, ids): (&str, String, Vec<String>) = if levels {
        let ids = c.level_metrics().map(|m| m.id.clone()).collect();
        (
            "各镇街进站代表层级",
            format!("{}（人次）", c.deputies_label()),
            ids,
        )
    } else {
        let ids = c.method_metrics().map(|m| m.id.clone()).collect();
        (
            "各镇街活动方式",
            format!("{}（次）", c.methods_label()),
            ids,
        )
    };
    let mut cols = vec![Col::new("镇街").max(12.0)];
    cols.extend(
        ids.iter()
            .map(|id| Col::new(page.label(id)).in_group(&group)),
    );
    cols.push(Col::new("合计"));
    let sum = |totals: &[Total]| -> Vec<V> {
        let v: Vec<Option<i64>> = ids
            .iter()
            .map(|id| s.index(id).and_then(|i| totals[i].value()))
            .collect();
        let all = v.iter().copied().sum::<Option<i64>>();
        v.into_iter().map(V::I).chain([V::I(all)]).collect()
    };
    let rows = s
        .units
        .iter()
        .map(|u| {
            std::iter::once(V::T(u.name.clone()))
                .chain(sum(&u.totals))
                .collect()
        })
        .collect();
    let total = std::iter::once(V::T("合计".into()))
        .chain(sum(&s.county))
        .collect();
    let mut notes = vec![format!("注：各项为{}之和。", page.published_words())];
    notes.extend(lacking_notes(page).into_iter().filter(|n| {
        ids.iter()
            .any(|id| n.starts_with(&format!("{}：", page.title_of(id))))
    }));
    Table {
        title: page.title(what),
        cols,
        rows,
        total: Some(total),
        freeze_cols: 1,
        notes,
    }
}
