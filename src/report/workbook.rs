//! The consolidated workbook (汇总表) a careful office would print: eight sheets from the
//! aggregated figures, A4 print setup, CJK-aware widths, native charts, deterministic bytes.

use rust_xlsxwriter::{
    Chart, ChartType, ConditionalFormatDataBar, DocProperties, ExcelDateTime, Format, FormatAlign,
    FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

use super::{find_row, float, int, text};
use crate::aggregate::Figures;
use crate::check::{CheckReport, Status};
use crate::config::Config;
use crate::text::Period;

/// `长沙县2022年5月代表进站活动汇总表.xlsx`.
pub fn file_name(config: &Config, p: Period) -> String {
    format!(
        "{}{}年{}月代表进站活动汇总表.xlsx",
        config.region.name, p.year, p.month
    )
}

/// Excel's limit on the text of one cell, in UTF-16 units.
pub const CELL_LIMIT: usize = 32_767;

/// Whether a text is longer than an Excel cell holds.
pub fn too_long(s: &str) -> bool {
    s.encode_utf16().count() > CELL_LIMIT
}

/// The text as a cell can hold it: over-long text is cut and ends with "……" (the caller
/// warns; the history keeps the whole text).
fn fit(s: &str) -> std::borrow::Cow<'_, str> {
    if !too_long(s) {
        return s.into();
    }
    let mut used = 2;
    let head: String = s
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= CELL_LIMIT
        })
        .collect();
    (head + "……").into()
}

/// One cell of a table.
#[derive(Clone)]
enum V {
    T(String),
    I(Option<i64>),
    R(Option<f64>),
    P(Option<f64>),
}

struct Formats {
    title: Format,
    head: Format,
    text: Format,
    int: Format,
    rate: Format,
    pct: Format,
    total_text: Format,
    total_int: Format,
}

fn formats() -> Formats {
    let base = Format::new().set_font_name("宋体").set_font_size(10.5);
    let cell = base
        .clone()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter);
    Formats {
        title: base
            .clone()
            .set_font_name("黑体")
            .set_font_size(16)
            .set_align(FormatAlign::Center),
        head: cell
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_background_color("#D9E1F2"),
        text: cell.clone(),
        int: cell.clone().set_num_format("#,##0"),
        rate: cell.clone().set_num_format("0.00"),
        pct: cell.clone().set_num_format("+0.0%;-0.0%;0.0%"),
        total_text: cell.clone().set_bold(),
        total_int: cell.set_bold().set_num_format("#,##0"),
    }
}

struct Sheet<'a> {
    name: &'a str,
    title: String,
    headers: Vec<String>,
    rows: Vec<Vec<V>>,
    total: Option<Vec<V>>,
    freeze_cols: u16,
}

/// Display width of a text in Excel's units: CJK characters count double.
fn width(s: &str) -> f64 {
    UnicodeWidthStr::width(s) as f64
}

fn write_table(
    ws: &mut Worksheet,
    s: &Sheet,
    f: &Formats,
    header: &str,
    footer: &str,
) -> Result<u32, XlsxError> {
    let ncol = s.headers.len() as u16;
    ws.set_name(s.name)?;
    ws.merge_range(0, 0, 0, ncol.saturating_sub(1), &s.title, &f.title)?;
    ws.set_row_height(0, 28)?;
    // Headers wrap: they ask for at most half their width, data cells for all of theirs.
    let mut widths: Vec<f64> = s
        .headers
        .iter()
        .map(|h| (width(h) / 2.0).clamp(4.0, 10.0))
        .collect();
    for (c, h) in s.headers.iter().enumerate() {
        ws.write_string_with_format(1, c as u16, h, &f.head)?;
    }
    let mut r = 2u32;
    let rows = s
        .rows
        .iter()
        .map(|x| (x, false))
        .chain(s.total.iter().map(|x| (x, true)));
    for (row, is_total) in rows {
        for (c, v) in row.iter().enumerate() {
            let c16 = c as u16;
            match v {
                V::T(t) => {
                    ws.write_string_with_format(
                        r,
                        c16,
                        fit(t),
                        if is_total { &f.total_text } else { &f.text },
                    )?;
                    widths[c] = widths[c].max(width(t));
                }
                V::I(Some(n)) => {
                    ws.write_number_with_format(
                        r,
                        c16,
                        *n as f64,
                        if is_total { &f.total_int } else { &f.int },
                    )?;
                    widths[c] = widths[c].max(width(&n.to_string()) + 2.0);
                }
                V::R(Some(x)) => {
                    ws.write_number_with_format(r, c16, *x, &f.rate)?;
                }
                V::P(Some(x)) => {
                    ws.write_number_with_format(r, c16, *x, &f.pct)?;
                }
                V::I(None) | V::R(None) | V::P(None) => {
                    ws.write_string_with_format(r, c16, "—", &f.text)?;
                }
            }
        }
        r += 1;
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (w * 1.15 + 2.0).clamp(6.0, 60.0))?;
    }
    ws.set_row_height(1, 42)?;
    ws.set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true);
    if ncol > 7 {
        ws.set_landscape();
    }
    ws.set_repeat_rows(1, 1)?;
    ws.set_freeze_panes(2, s.freeze_cols)?;
    ws.set_header(header);
    ws.set_footer(footer);
    Ok(r)
}

/// The workbook's bytes.
pub fn build(fig: &Figures, report: &CheckReport, config: &Config) -> Result<Vec<u8>, XlsxError> {
    let p = report.period;
    let prelim = if report.has_errors() { "(初步)" } else { "" };
    let f = formats();
    let mut wb = Workbook::new();
    let props = DocProperties::new()
        .set_title(format!(
            "{}{}年{}月代表进站活动汇总表{prelim}",
            config.region.name, p.year, p.month
        ))
        .set_author(format!("{}人大常委会联工委", config.region.name))
        .set_creation_datetime(&ExcelDateTime::from_ymd(p.year as u16, p.month as u8, 1)?);
    wb.set_properties(&props);
    let title = |what: &str| {
        format!(
            "{}{}年{}月{what}{prelim}",
            config.region.name, p.year, p.month
        )
    };
    let header = format!(
        "&L{}人大常委会联工委&R{}年{}月{prelim}",
        config.region.name, p.year, p.month
    );
    let footer = "&C第 &P 页,共 &N 页";
    let scope = &config.region.scope;
    let cur = p.to_string();
    let crow = find_row(&fig.county, "period", &cur);
    let cint = |c: &str| crow.and_then(|r| int(&fig.county, c, r));
    let cpct = |c: &str| crow.and_then(|r| float(&fig.county, c, r));
    let levels: Vec<_> = config
        .metrics
        .iter()
        .filter(|m| m.level.is_some())
        .collect();
    let singles: Vec<_> = config
        .metrics
        .iter()
        .filter(|m| m.group.is_none())
        .collect();
    let methods: Vec<_> = config
        .metrics
        .iter()
        .filter(|m| m.group.is_some() && m.level.is_none())
        .collect();
    let deputies_label = config
        .group("deputies")
        .map_or("进站代表人数".into(), |g| g.label.clone());

    // 全县汇总
    let mut rows = Vec::new();
    let mut line = |label: String, id: &str, unit: &str| {
        let ytd = if id == "stations" || id == "units" {
            None
        } else {
            int(&fig.ytd, id, 0)
        };
        rows.push(vec![
            V::T(label),
            V::T(unit.to_string()),
            V::I(cint(id)),
            V::I(cint(&format!("{id}_prev"))),
            V::I(cint(&format!("{id}_change"))),
            V::P(cpct(&format!("{id}_change_pct"))),
            V::I(ytd),
        ]);
    };
    line("报送单位".into(), "units", "个");
    line("工作站".into(), "stations", "个");
    line(format!("{deputies_label}(合计)"), "deputies_total", "人");
    for m in &levels {
        line(format!("  其中:{}级", m.label), &m.id, &m.measure);
    }
    for m in &singles {
        line(m.label.clone(), &m.id, &m.measure);
    }
    for m in &methods {
        line(format!("活动方式:{}", m.label), &m.id, &m.measure);
    }
    let summary = Sheet {
        name: &format!("{scope}汇总"),
        title: title(&format!("{scope}代表进站活动汇总")),
        headers: [
            "指标",
            "单位",
            "本月",
            "上月",
            "环比增减",
            "环比",
            "本年累计",
        ]
        .map(String::from)
        .to_vec(),
        rows,
        total: None,
        freeze_cols: 1,
    };
    let ws = wb.add_worksheet();
    let end = write_table(ws, &summary, &f, &header, footer)?;
    ws.set_landscape();

    // 分镇街
    let mut headers = vec![
        "序号".to_string(),
        "镇街".into(),
        "报送情况".into(),
        "工作站数".into(),
        format!("{deputies_label}"),
    ];
    headers.extend(levels.iter().map(|m| format!("{}级", m.label)));
    headers.extend(
        singles
            .iter()
            .map(|m| format!("{}({})", m.label, m.measure)),
    );
    headers.extend(methods.iter().map(|m| format!("{}(次)", m.label)));
    let ranked: Vec<(&str, String)> = std::iter::once(("deputies_total", "代表人数".to_string()))
        .chain(singles.iter().map(|m| (m.id.as_str(), m.label.clone())))
        .collect();
    headers.extend(ranked.iter().map(|(_, l)| format!("{l}排名")));
    let voters = singles.first().map(|m| (m.id.clone(), m.label.clone()));
    if let Some((_, l)) = &voters {
        headers.push(format!("人均{l}"));
        headers.push(format!("站均{l}"));
    }
    headers.push("站均进站代表".into());
    headers.push("代表人数环比".into());
    let mut rows = Vec::new();
    for (k, u) in config.units.iter().enumerate() {
        let r = find_row(&fig.units, "unit_id", &u.id);
        let status = report
            .files
            .iter()
            .filter(|x| x.unit.as_deref() == Some(&u.id))
            .map(|x| x.status)
            .collect::<Vec<_>>();
        let label = if r.is_some() {
            "已计入"
        } else if status.contains(&Status::Error) {
            "退回"
        } else {
            "未报送"
        };
        let g = |c: &str| r.and_then(|r| int(&fig.units, c, r));
        let gf = |c: &str| r.and_then(|r| float(&fig.units, c, r));
        let mut row = vec![
            V::I(Some(k as i64 + 1)),
            V::T(u.name.clone()),
            V::T(label.into()),
            V::I(g("stations")),
            V::I(g("deputies_total")),
        ];
        row.extend(levels.iter().map(|m| V::I(g(&m.id))));
        row.extend(singles.iter().map(|m| V::I(g(&m.id))));
        row.extend(methods.iter().map(|m| V::I(g(&m.id))));
        row.extend(ranked.iter().map(|(id, _)| V::I(g(&format!("{id}_rank")))));
        if let Some((id, _)) = &voters {
            row.push(V::R(gf(&format!("{id}_per_deputy"))));
            row.push(V::R(gf(&format!("{id}_per_station"))));
        }
        row.push(V::R(gf("deputies_total_per_station")));
        row.push(V::P(gf("deputies_total_change_pct")));
        rows.push(row);
    }
    let mut total = vec![
        V::T(String::new()),
        V::T("合计".into()),
        V::T(String::new()),
        V::I(cint("stations")),
        V::I(cint("deputies_total")),
    ];
    total.extend(
        levels
            .iter()
            .chain(&singles)
            .chain(&methods)
            .map(|m| V::I(cint(&m.id))),
    );
    let units_sheet = Sheet {
        name: "分镇街",
        title: title("各镇街代表进站活动情况"),
        headers: headers.clone(),
        rows: rows.clone(),
        total: Some(total),
        freeze_cols: 2,
    };
    let n_units = config.units.len() as u32;
    let ws = wb.add_worksheet();
    write_table(ws, &units_sheet, &f, &header, footer)?;
    let bar = ConditionalFormatDataBar::new();
    for c in [4u16, 5 + levels.len() as u16] {
        ws.add_conditional_format(2, c, 1 + n_units, c, &bar)?;
    }
    let mut stacked = Chart::new(ChartType::BarStacked);
    stacked
        .title()
        .set_name(&format!("各镇街进站代表层级构成{prelim}"));
    for (i, m) in levels.iter().enumerate() {
        let c = 5 + i as u16;
        stacked
            .add_series()
            .set_name(&format!("{}级", m.label))
            .set_categories(("分镇街", 2, 1, 1 + n_units, 1))
            .set_values(("分镇街", 2, c, 1 + n_units, c));
    }
    stacked.set_width(720).set_height(520);
    ws.set_page_breaks(&[n_units + 4])?;
    ws.insert_chart(n_units + 5, 1, &stacked)?;

    // Charts on the summary sheet: units compared, and the monthly trend.
    let trend_rows = fig.county.height() as u32;
    let first_single = 5 + levels.len() as u16;
    let ws = wb.worksheet_from_index(0)?;
    let mut compare = Chart::new(ChartType::Column);
    compare.title().set_name(&format!(
        "各镇街{deputies_label}与{}{prelim}",
        voters.as_ref().map_or("", |v| v.1.as_str())
    ));
    compare
        .add_series()
        .set_name(deputies_label.as_str())
        .set_categories(("分镇街", 2, 1, 1 + n_units, 1))
        .set_values(("分镇街", 2, 4, 1 + n_units, 4));
    compare
        .add_series()
        .set_name(voters.as_ref().map_or("", |v| v.1.as_str()))
        .set_categories(("分镇街", 2, 1, 1 + n_units, 1))
        .set_values(("分镇街", 2, first_single, 1 + n_units, first_single));
    compare.set_width(760).set_height(300);
    ws.set_page_breaks(&[end + 1])?;
    ws.insert_chart(end + 2, 0, &compare)?;
    let mut trend = Chart::new(ChartType::Line);
    trend.title().set_name(&format!("{scope}逐月趋势"));
    trend
        .add_series()
        .set_name(deputies_label.as_str())
        .set_categories(("趋势", 2, 0, 1 + trend_rows, 0))
        .set_values(("趋势", 2, 3, 1 + trend_rows, 3));
    trend.set_width(760).set_height(250);
    trend.y_axis().set_min(0);
    ws.insert_chart(end + 18, 0, &trend)?;

    // 代表层级, 活动方式
    for (name, what, ms) in [
        ("代表层级", "各镇街进站代表层级", &levels),
        ("活动方式", "各镇街活动方式", &methods),
    ] {
        let mut headers = vec!["镇街".to_string()];
        headers.extend(ms.iter().map(|m| format!("{}({})", m.label, m.measure)));
        headers.push("合计".into());
        let rows = config
            .units
            .iter()
            .map(|u| {
                let r = find_row(&fig.units, "unit_id", &u.id);
                let vals: Vec<Option<i64>> = ms
                    .iter()
                    .map(|m| r.and_then(|r| int(&fig.units, &m.id, r)))
                    .collect();
                let sum = r.map(|_| vals.iter().flatten().sum());
                let mut row = vec![V::T(u.name.clone())];
                row.extend(vals.into_iter().map(V::I));
                row.push(V::I(sum));
                row
            })
            .collect();
        let mut total = vec![V::T("合计".into())];
        total.extend(ms.iter().map(|m| V::I(cint(&m.id))));
        total.push(V::I(Some(ms.iter().filter_map(|m| cint(&m.id)).sum())));
        let sheet = Sheet {
            name,
            title: title(what),
            headers,
            rows,
            total: Some(total),
            freeze_cols: 1,
        };
        write_table(wb.add_worksheet(), &sheet, &f, &header, footer)?;
    }

    // 工作站明细
    let mut headers = vec![
        "序号".to_string(),
        "镇街".into(),
        "工作站".into(),
        format!("{deputies_label}"),
    ];
    headers.extend(config.metrics.iter().map(|m| config.metric_title(m)));
    let st = &fig.stations;
    let rows = (0..st.height())
        .map(|i| {
            let mut row = vec![
                V::I(Some(i as i64 + 1)),
                V::T(text(st, "unit", i).unwrap_or_default()),
                V::T(text(st, "station", i).unwrap_or_default()),
                V::I(int(st, "deputies_total", i)),
            ];
            row.extend(config.metrics.iter().map(|m| V::I(int(st, &m.id, i))));
            row
        })
        .collect();
    let sheet = Sheet {
        name: "工作站明细",
        title: title("各工作站进站活动明细"),
        headers,
        rows,
        total: None,
        freeze_cols: 3,
    };
    write_table(wb.add_worksheet(), &sheet, &f, &header, footer)?;

    // 趋势
    let mut headers = vec![
        "月份".to_string(),
        "报送单位".into(),
        "工作站".into(),
        format!("{deputies_label}"),
    ];
    headers.extend(
        singles
            .iter()
            .map(|m| format!("{}({})", m.label, m.measure)),
    );
    let cy = &fig.county;
    let rows = (0..cy.height())
        .map(|i| {
            let mut row = vec![
                V::T(text(cy, "period", i).unwrap_or_default()),
                V::I(int(cy, "units", i)),
                V::I(int(cy, "stations", i)),
                V::I(int(cy, "deputies_total", i)),
            ];
            row.extend(singles.iter().map(|m| V::I(int(cy, &m.id, i))));
            row
        })
        .collect();
    let sheet = Sheet {
        name: "趋势",
        title: format!("{}{scope}代表进站活动逐月趋势", config.region.name),
        headers,
        rows,
        total: None,
        freeze_cols: 1,
    };
    write_table(wb.add_worksheet(), &sheet, &f, &header, footer)?;

    // 报送情况
    let headers = ["镇街", "文件", "sha256", "状态", "强制性问题", "提示性问题"]
        .map(String::from)
        .to_vec();
    let mut rows = Vec::new();
    for u in &config.units {
        let files: Vec<_> = report
            .files
            .iter()
            .filter(|x| x.unit.as_deref() == Some(&u.id) && x.status != Status::Ignored)
            .collect();
        if files.is_empty() {
            rows.push(vec![
                V::T(u.name.clone()),
                V::T("—".into()),
                V::T("—".into()),
                V::T("未报送".into()),
                V::I(Some(0)),
                V::I(Some(0)),
            ]);
        }
        for x in files {
            let count = |err: bool| {
                report
                    .diagnostics
                    .iter()
                    .filter(|d| d.file.as_deref() == Some(&x.path) && d.is_error() == err)
                    .count() as i64
            };
            let name = std::path::Path::new(&x.path)
                .file_name()
                .map_or(x.path.clone(), |n| n.to_string_lossy().into_owned());
            let status = match x.status {
                Status::Ok => "通过",
                Status::Error => "退回",
                Status::Ignored => "已跳过",
            };
            rows.push(vec![
                V::T(u.name.clone()),
                V::T(name),
                V::T(x.sha256.clone().unwrap_or_default()),
                V::T(status.into()),
                V::I(Some(count(true))),
                V::I(Some(count(false))),
            ]);
        }
    }
    for x in report
        .files
        .iter()
        .filter(|x| x.unit.is_none() || x.status == Status::Ignored)
    {
        let name = std::path::Path::new(&x.path)
            .file_name()
            .map_or(x.path.clone(), |n| n.to_string_lossy().into_owned());
        let status = if x.status == Status::Ignored {
            "已跳过"
        } else {
            "退回(单位不明)"
        };
        rows.push(vec![
            V::T("—".into()),
            V::T(name),
            V::T(x.sha256.clone().unwrap_or_default()),
            V::T(status.into()),
            V::I(None),
            V::I(None),
        ]);
    }
    let sheet = Sheet {
        name: "报送情况",
        title: title("各镇街报送情况"),
        headers,
        rows,
        total: None,
        freeze_cols: 1,
    };
    write_table(wb.add_worksheet(), &sheet, &f, &header, footer)?;

    // 数据校验
    let headers = ["类别", "代码", "文件", "工作表", "单元格", "镇街", "说明"]
        .map(String::from)
        .to_vec();
    let rows = report
        .diagnostics
        .iter()
        .map(|d| {
            let file = d
                .file
                .as_deref()
                .and_then(|p| std::path::Path::new(p).file_name())
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let unit = d
                .unit
                .as_deref()
                .and_then(|u| config.unit(u))
                .map_or(String::new(), |u| u.name.clone());
            vec![
                V::T(format!("{}审核", d.severity.label())),
                V::T(d.code.as_str()),
                V::T(file),
                V::T(d.sheet.clone().unwrap_or_default()),
                V::T(d.cell.clone().unwrap_or_default()),
                V::T(unit),
                V::T(d.message.clone()),
            ]
        })
        .collect();
    let sheet = Sheet {
        name: "数据校验",
        title: title("数据校验结果"),
        headers,
        rows,
        total: None,
        freeze_cols: 2,
    };
    let ws = wb.add_worksheet();
    write_table(ws, &sheet, &f, &header, footer)?;
    ws.set_column_width(6, 60)?;
    ws.set_landscape();
    wb.save_to_buffer()
}
