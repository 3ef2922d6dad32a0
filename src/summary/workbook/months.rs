//! 逐月: the region month by month for every metric, and units × months for the tracked
//! metrics (deputies entered, 接待走访选民); a month not published or not counted shows "—".

use super::Page;
use super::totals::head;
use crate::report::workbook::table::{Col, Table, V};
use crate::summary::span::month_words;

/// Ids in column order: deputies in all, each level, the single metrics, the methods.
fn columns(page: &Page) -> Vec<(String, Option<String>, String)> {
    let c = page.config;
    let dep = format!("{}（人）", c.deputies_label());
    let met = format!("{}（次）", c.methods_label());
    let mut v = vec![(
        "deputies_total".to_string(),
        Some(dep.clone()),
        "合计".to_string(),
    )];
    v.extend(
        c.level_metrics()
            .map(|m| (m.id.clone(), Some(dep.clone()), m.label.clone())),
    );
    v.extend(
        c.headline_metrics()
            .map(|m| (m.id.clone(), None, head(&m.label, &m.measure))),
    );
    v.extend(
        c.method_metrics()
            .map(|m| (m.id.clone(), Some(met.clone()), m.label.clone())),
    );
    v
}

/// 逐月: one row per month of the span (those not published say so), a total row.
pub(super) fn county(page: &Page) -> Table {
    let s = page.summary;
    let ids = columns(page);
    let mut cols = vec![
        Col::new("月份").max(12.0),
        Col::new("计入\n单位"),
        Col::new("工作站"),
    ];
    cols.extend(ids.iter().map(|(_, g, h)| {
        let c = Col::new(h.clone()).max(9.0);
        match g {
            Some(g) => c.in_group(g),
            None => c,
        }
    }));
    let idx: Vec<Option<usize>> = ids.iter().map(|(id, _, _)| s.index(id)).collect();
    let rows = s
        .months
        .iter()
        .map(|m| {
            let point = s.by_month.iter().find(|p| p.period == m.period);
            let mut row = vec![V::T(month_words(m.period))];
            match point {
                Some(p) => {
                    row.push(V::I(Some(p.units)));
                    row.push(V::I(Some(p.stations)));
                    row.extend(idx.iter().map(|i| V::I(i.and_then(|i| p.values[i]))));
                }
                None => {
                    row.push(V::T("未发布".into()));
                    row.extend((0..=ids.len()).map(|_| V::I(None)));
                }
            }
            row
        })
        .collect();
    let mut total = vec![
        V::T("合计".into()),
        V::T(String::new()),
        V::T(String::new()),
    ];
    total.extend(
        idx.iter()
            .map(|i| V::I(i.and_then(|i| s.county[i].value()))),
    );
    Table {
        title: page.title("逐月代表进站活动情况"),
        cols,
        rows,
        total: Some(total),
        freeze_cols: 1,
        notes: vec![
            "注：各月数字取自档案中该月的发布；某月报表式样没有的指标记“—”，合计也记“—”，不作 0 计；进站代表各月相加为人次。".into(),
        ],
    }
}

/// Units × months of the tracked id `id` (the `k`th tracked series), with the total and the
/// months counted per unit.
pub(super) fn units(page: &Page, k: usize, id: &str) -> Table {
    let s = page.summary;
    let months = s.span.months();
    let years: Vec<i32> = months.iter().map(|p| p.year()).collect();
    let one_year = years.first() == years.last();
    let mut cols = vec![Col::new("镇街").max(12.0)];
    cols.extend(months.iter().map(|p| {
        let c = Col::new(format!("{}月", p.month()));
        if one_year {
            c
        } else {
            c.in_group(&format!("{}年", p.year()))
        }
    }));
    cols.push(Col::new("合计"));
    cols.push(Col::new("计入\n月数"));
    let i = s.index(id);
    let rows = s
        .units
        .iter()
        .map(|u| {
            let mut row = vec![V::T(u.name.clone())];
            row.extend(u.series[k].iter().map(|v| V::I(*v)));
            row.push(V::I(i.and_then(|i| u.totals[i].value())));
            row.push(V::I(Some(u.months.len() as i64)));
            row
        })
        .collect();
    let mut total = vec![V::T("合计".into())];
    total.extend(months.iter().map(|p| {
        let point = s.by_month.iter().find(|m| m.period == *p);
        V::I(point.zip(i).and_then(|(m, i)| m.values[i]))
    }));
    total.push(V::I(i.and_then(|i| s.county[i].value())));
    total.push(V::I(Some(s.published() as i64)));
    Table {
        title: page.title(&format!("各镇街逐月{}（{}）", page.label(id), page.measure(id))),
        cols,
        rows,
        total: Some(total),
        freeze_cols: 1,
        notes: vec![
            "注：“—”为该月未发布、该镇街该月未计入，或该月报表式样没有该项；未计入的原因见“报送考核”“覆盖说明”。".into(),
        ],
    }
}
