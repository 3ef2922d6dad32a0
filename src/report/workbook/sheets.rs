//! The figure sheets of the workbook: summary, units, ranks and rates, levels, methods,
//! stations, trend — each one table from the typed month.

use rust_xlsxwriter::{ConditionalFormatDataBar, Worksheet, XlsxError};

use super::table::{self, Col, Table, V, Written};
use super::{LEVELS, METHODS, Page, RANKS, STATIONS, TREND};
use crate::config::Metric;
use crate::figures::Figure;

/// "接待走访选民\n（人次）": a header that breaks before its measure, in full-width brackets.
pub(super) fn head(label: &str, measure: &str) -> String {
    format!("{label}\n（{measure}）")
}

/// The config's metrics by role, and the labels the sheets use.
pub(super) struct Roles<'a> {
    pub levels: Vec<&'a Metric>,
    pub singles: Vec<&'a Metric>,
    pub methods: Vec<&'a Metric>,
    pub deputies: String,
    pub methods_label: String,
}

pub(super) fn roles<'a>(page: &Page<'a>) -> Roles<'a> {
    let c = page.config;
    Roles {
        levels: c.level_metrics().collect(),
        singles: c.headline_metrics().collect(),
        methods: c.method_metrics().collect(),
        deputies: c.deputies_label(),
        methods_label: c.methods_label(),
    }
}

/// 全县汇总: each figure this month, last month, the change and the year to date.
pub(super) fn summary(ws: &mut Worksheet, page: &Page) -> Result<u32, XlsxError> {
    ws.set_name(super::summary_name(page.config))?;
    let m = page.month;
    let r = roles(page);
    let mut rows = Vec::new();
    let mut line = |label: String, f: Figure, unit: &str, ytd: Option<(Option<i64>, &str)>| {
        rows.push(vec![
            V::T(label),
            V::T(unit.to_string()),
            V::I(f.value),
            V::I(f.prev),
            V::I(f.change),
            V::P(f.change_pct),
            match ytd {
                Some((v, u)) => V::U(v, u.to_string()),
                None => V::U(None, String::new()),
            },
        ]);
    };
    let ytd = |id: &str| m.index(id).and_then(|i| m.county.year_to_date[i]);
    // Last month's figures only when both months counted the same units (like with like).
    let like = crate::report::scope::compare(m).is_none_or(|c| c.same_units);
    let fig = |id: &str| match like {
        true => m.county_metric(id),
        false => Figure {
            value: m.county_metric(id).value,
            ..Figure::default()
        },
    };
    line("报送单位".into(), m.county.units, "个", None);
    line("工作站".into(), m.county.stations, "个", None);
    // Deputies are counted each month: over months they add up to 人次, not 人.
    let dep = Some((ytd("deputies_total"), "人次"));
    line(
        format!("{}（合计）", r.deputies),
        fig("deputies_total"),
        "人",
        dep,
    );
    for x in &r.levels {
        let y = Some((ytd(&x.id), "人次"));
        line(format!("　其中：{}级", x.label), fig(&x.id), &x.measure, y);
    }
    for x in r.singles.iter().chain(&r.methods) {
        let label = match x.group {
            Some(_) => format!("{}：{}", r.methods_label, x.label),
            None => x.label.clone(),
        };
        let y = Some((ytd(&x.id), x.measure.as_str()));
        line(label, fig(&x.id), &x.measure, y);
    }
    let t = Table {
        title: page.title("代表进站活动汇总"),
        cols: vec![
            Col::new("指标").max(24.0),
            Col::new("单位"),
            Col::new("本月"),
            Col::new("上月"),
            Col::new("环比增减"),
            Col::new("环比"),
            Col::new(m.county.year_to_date_label(m.period)),
        ],
        rows,
        total: None,
        freeze_cols: 1,
        notes: vec![ytd_note(m, &r.deputies)],
    };
    let mut t = t;
    t.notes.extend(crate::report::scope::summary_note(
        page.report,
        page.config,
        like,
    ));
    Ok(table::write(ws, &t, false)?.end_row)
}

/// The note on the year to date: the months it sums, and those not in the archive.
fn ytd_note(m: &crate::figures::MonthFigures, deputies: &str) -> String {
    let (p, c) = (m.period, &m.county);
    let counted = format!("{}按月计数，累计为人次。", deputies);
    if c.year_to_date_complete(p) {
        return format!("注：本年累计为{}年1月至本月各月之和；{counted}", p.year());
    }
    let summed = crate::figures::months_text(&c.year_to_date_months);
    let missing = crate::figures::months_text(&c.year_to_date_missing(p));
    format!(
        "注：“{}”为档案中{}年{summed}各月之和；{missing}不在档案中，未计入，不是本年累计。{counted}",
        c.year_to_date_label(p),
        p.year()
    )
}

/// 分镇街: one row per unit, its figures and whether its return counted.
pub(super) fn units(ws: &mut Worksheet, page: &Page) -> Result<Written, XlsxError> {
    ws.set_name(super::units_name(page.config))?;
    let (m, r) = (page.month, roles(page));
    let mut cols = vec![
        Col::new("序号"),
        Col::new(page.word("镇街")).max(12.0),
        Col::new("报送\n情况"),
        Col::new("工作\n站数"),
        Col::new(head(&r.deputies, "人")),
    ];
    cols.extend(
        r.singles
            .iter()
            .map(|x| Col::new(head(&x.label, &x.measure))),
    );
    let value = |u: Option<&crate::figures::UnitMonth>, id: &str| {
        u.and_then(|u| m.index(id).and_then(|i| u.metrics[i].value))
    };
    let mut rows = Vec::new();
    for (k, unit) in page.config.units.iter().enumerate() {
        let u = m.unit(&unit.id);
        let status =
            if u.is_some() {
                "已计入"
            } else if page.report.files.iter().any(|f| {
                f.unit.as_deref() == Some(&unit.id) && f.status == crate::check::Status::Error
            }) {
                "退回"
            } else {
                "未报送"
            };
        let mut row = vec![
            V::I(Some(k as i64 + 1)),
            V::T(unit.name.clone()),
            V::T(status.into()),
            V::I(u.and_then(|u| u.stations.value)),
            V::I(value(u, "deputies_total")),
        ];
        row.extend(r.singles.iter().map(|x| V::I(value(u, &x.id))));
        rows.push(row);
    }
    let mut total = vec![
        V::T(String::new()),
        V::T("合计".into()),
        V::T(String::new()),
        V::I(m.county.stations.value),
        V::I(m.county_metric("deputies_total").value),
    ];
    total.extend(r.singles.iter().map(|x| V::I(m.county_metric(&x.id).value)));
    let t = Table {
        title: page.title(&page.word("各镇街代表进站活动情况")),
        cols,
        rows,
        total: Some(total),
        freeze_cols: 2,
        notes: vec!["注：排名、人均和站均见“排名与比率”表；代表层级、活动方式见同名各表。".into()],
    };
    let w = table::write(ws, &t, false)?;
    let last = w.first_row + page.config.units.len() as u32 - 1;
    let bar = ConditionalFormatDataBar::new();
    for c in [4u16, 5] {
        ws.add_conditional_format(w.first_row, c, last, c, &bar)?;
    }
    Ok(w)
}

/// 排名与比率: ranks of the headline figures, rates per deputy and per station, change.
pub(super) fn ranks(ws: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    ws.set_name(RANKS)?;
    let (m, r) = (page.month, roles(page));
    let voters = r.singles.first();
    let mut cols = vec![Col::new(page.word("镇街")).max(12.0)];
    let ranked: Vec<(String, String)> =
        std::iter::once(("deputies_total".into(), r.deputies.clone()))
            .chain(r.singles.iter().map(|x| (x.id.clone(), x.label.clone())))
            .collect();
    cols.extend(
        ranked
            .iter()
            .map(|(_, l)| Col::new(l.clone()).in_group("排名")),
    );
    if let Some(v) = voters {
        cols.push(Col::new(format!("人均{}\n（{}）", v.label, v.measure)).in_group("人均、站均"));
        cols.push(Col::new(format!("站均{}\n（{}）", v.label, v.measure)).in_group("人均、站均"));
    }
    cols.push(Col::new("站均进站\n代表（人）").in_group("人均、站均"));
    cols.push(Col::new(format!("{}\n环比", r.deputies)));
    let mut rows = Vec::new();
    for unit in &page.config.units {
        let u = m.unit(&unit.id);
        let st = |id: &str| u.and_then(|u| m.index(id).map(|i| u.standings[i]));
        let mut row = vec![V::T(unit.name.clone())];
        row.extend(
            ranked
                .iter()
                .map(|(id, _)| V::I(st(id).and_then(|s| s.rank))),
        );
        if let Some(v) = voters {
            row.push(V::R(st(&v.id).and_then(|s| s.per_deputy)));
            row.push(V::R(st(&v.id).and_then(|s| s.per_station)));
        }
        row.push(V::R(st("deputies_total").and_then(|s| s.per_station)));
        let dep = u.and_then(|u| m.index("deputies_total").map(|i| u.metrics[i]));
        row.push(V::P(dep.and_then(|f| f.change_pct)));
        rows.push(row);
    }
    let t = Table {
        title: page.title(&page.word("各镇街排名与人均、站均")),
        cols,
        rows,
        total: None,
        freeze_cols: 1,
        notes: vec![
            page.word("注：排名按本月数值从高到低，并列者同名次；人均为每名进站代表平均数，站均为每个工作站平均数；未计入的镇街记“—”。"),
        ],
    };
    table::write(ws, &t, false).map(|_| ())
}

/// 代表层级 (unit × level) or 活动方式 (unit × method), with a total column and row.
pub(super) fn by_group(ws: &mut Worksheet, page: &Page, name: &str) -> Result<Written, XlsxError> {
    ws.set_name(name)?;
    let (m, r) = (page.month, roles(page));
    let (what, group, ms) = if name == LEVELS {
        ("各镇街进站代表层级", head(&r.deputies, "人"), &r.levels)
    } else {
        debug_assert_eq!(name, METHODS);
        ("各镇街活动方式", head(&r.methods_label, "次"), &r.methods)
    };
    let group = group.replace('\n', "");
    let mut cols = vec![Col::new(page.word("镇街")).max(12.0)];
    cols.extend(
        ms.iter()
            .map(|x| Col::new(x.label.clone()).in_group(&group)),
    );
    cols.push(Col::new("合计"));
    let mut rows = Vec::new();
    for unit in &page.config.units {
        let u = m.unit(&unit.id);
        let vals: Vec<Option<i64>> = ms
            .iter()
            .map(|x| u.and_then(|u| m.index(&x.id).and_then(|i| u.metrics[i].value)))
            .collect();
        let sum = u.map(|_| vals.iter().flatten().sum());
        let mut row = vec![V::T(unit.name.clone())];
        row.extend(vals.into_iter().map(V::I));
        row.push(V::I(sum));
        rows.push(row);
    }
    let mut total = vec![V::T("合计".into())];
    let county: Vec<Option<i64>> = ms.iter().map(|x| m.county_metric(&x.id).value).collect();
    total.extend(county.iter().copied().map(V::I));
    total.push(V::I(Some(county.iter().flatten().sum())));
    let t = Table {
        title: page.title(&page.word(what)),
        cols,
        rows,
        total: Some(total),
        freeze_cols: 1,
        notes: Vec::new(),
    };
    table::write(ws, &t, false)
}

/// 工作站明细: every station row of the month with its unit.
pub(super) fn stations(ws: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    ws.set_name(STATIONS)?;
    let (m, r) = (page.month, roles(page));
    let dep_group = head(&r.deputies, "人").replace('\n', "");
    let mut cols = vec![
        Col::new("序号"),
        Col::new(page.word("镇街")).max(10.0),
        Col::new("工作站").max(22.0),
        Col::new("合计").in_group(&dep_group),
    ];
    cols.extend(
        r.levels
            .iter()
            .map(|x| Col::new(x.label.clone()).in_group(&dep_group)),
    );
    cols.extend(
        r.singles
            .iter()
            .map(|x| Col::new(head(&x.label, &x.measure)).max(9.0)),
    );
    let met_group = head(&r.methods_label, "次").replace('\n', "");
    cols.extend(
        r.methods
            .iter()
            .map(|x| Col::new(x.label.clone()).in_group(&met_group)),
    );
    let order: Vec<Option<usize>> = std::iter::once("deputies_total")
        .chain(r.levels.iter().map(|x| x.id.as_str()))
        .chain(r.singles.iter().map(|x| x.id.as_str()))
        .chain(r.methods.iter().map(|x| x.id.as_str()))
        .map(|id| m.index(id))
        .collect();
    let rows = m
        .stations
        .iter()
        .enumerate()
        .map(|(k, s)| {
            let mut row = vec![
                V::I(Some(k as i64 + 1)),
                V::T(s.unit.clone()),
                V::T(s.station.clone()),
            ];
            row.extend(order.iter().map(|i| V::I(i.map(|i| s.metrics[i]))));
            row
        })
        .collect();
    let t = Table {
        title: page.title("各工作站进站活动明细"),
        cols,
        rows,
        total: None,
        freeze_cols: 3,
        notes: Vec::new(),
    };
    table::write(ws, &t, true).map(|_| ())
}

/// 趋势: the county's months up to this one, from the archive.
pub(super) fn trend(ws: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    ws.set_name(TREND)?;
    let (m, r) = (page.month, roles(page));
    let mut cols = vec![
        Col::new("月份"),
        Col::new("报送\n单位"),
        Col::new("工作站"),
        Col::new(head(&r.deputies, "人")),
    ];
    cols.extend(
        r.singles
            .iter()
            .map(|x| Col::new(head(&x.label, &x.measure))),
    );
    let ids: Vec<Option<usize>> = std::iter::once("deputies_total")
        .chain(r.singles.iter().map(|x| x.id.as_str()))
        .map(|id| m.index(id))
        .collect();
    let rows = m
        .trend
        .iter()
        .map(|p| {
            let mut row = vec![
                V::T(p.period.to_string()),
                V::I(Some(p.units)),
                V::I(Some(p.stations)),
            ];
            row.extend(ids.iter().map(|i| V::I(i.and_then(|i| p.metrics[i]))));
            row
        })
        .collect();
    let t = Table {
        title: format!(
            "{}代表进站活动逐月趋势（截至{}年{}月）{}",
            page.config.region.name,
            m.period.year(),
            m.period.month(),
            page.prelim
        ),
        cols,
        rows,
        total: None,
        freeze_cols: 1,
        notes: vec!["注：各月数字取自档案中该月的发布；某月报表没有的指标记“—”。".into()],
    };
    table::write(ws, &t, m.trend.len() > 30).map(|_| ())
}
