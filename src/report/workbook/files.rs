//! The accounting sheets of the workbook: 报送情况 (each unit's file, short hash, status) and
//! 数据校验 (every finding, errors first, messages wrapped to be read on paper).

use std::path::Path;

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::table::{self, Col, Table, V};
use super::{FILES, FINDINGS, Page};
use crate::check::{FileReport, Status};

/// Characters of the sha256 printed (the whole hash is in manifest.json).
const SHORT_HASH: usize = 12;

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map_or(path.to_string(), |n| n.to_string_lossy().into_owned())
}

fn short(sha: Option<&str>) -> String {
    sha.map_or("—".into(), |s| s.chars().take(SHORT_HASH).collect())
}

/// A moment of the receipt log as a clerk reads it: `2022-06-03 09:30`.
fn moment(iso: &str) -> String {
    let s = iso.replacen('T', " ", 1);
    s.chars().take(16).collect()
}

/// A unit's receipts: versions received, sent back, first received, which version counts
/// (`第3版`: the counted file's place among the versions by when each was first received).
fn receipt_cells(page: &Page, unit: &str) -> Vec<V> {
    let log = &page.month.receipts;
    let mut mine: Vec<&crate::receipts::Receipt> = log
        .iter()
        .filter(|r| r.unit_id.as_deref() == Some(unit))
        .collect();
    if mine.is_empty() {
        return vec![V::I(None), V::I(None), V::T("—".into()), V::T("—".into())];
    }
    mine.sort_by(|a, b| (&a.first_seen, &a.sha256).cmp(&(&b.first_seen, &b.sha256)));
    let counted = page
        .report
        .files
        .iter()
        .filter(|f| f.unit.as_deref() == Some(unit) && f.status == Status::Ok)
        .find_map(|f| f.sha256.as_deref());
    let accepted = counted
        .and_then(|sha| mine.iter().position(|r| r.sha256 == sha))
        .map_or("—".to_string(), |i| format!("第{}版", i + 1));
    let sent_back = mine.iter().filter(|r| r.status == "error").count();
    vec![
        V::I(Some(mine.len() as i64)),
        V::I(Some(sent_back as i64)),
        V::T(moment(&mine[0].first_seen)),
        V::T(accepted),
    ]
}

fn blank() -> Vec<V> {
    vec![
        V::T(String::new()),
        V::T(String::new()),
        V::T(String::new()),
        V::T(String::new()),
    ]
}

fn status(s: Status) -> &'static str {
    match s {
        Status::Ok => "通过",
        Status::Error => "退回",
        Status::Ignored => "已跳过",
    }
}

/// The roll-up's two columns left empty.
fn no_bundle(rollup: bool) -> impl Iterator<Item = V> {
    rollup
        .then(|| [V::T("—".into()), V::T("—".into())])
        .into_iter()
        .flatten()
}

/// One unit's rows: 未报送, or one per file it sent; its receipts on the first.
fn unit_rows(page: &Page, u: &crate::config::Unit, rollup: bool) -> Vec<Vec<V>> {
    let report = page.report;
    let count = |x: &FileReport, err: bool| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.file.as_deref() == Some(&x.path))
            .filter(|d| if err { d.is_error() } else { d.is_warning() })
            .count() as i64
    };
    let files: Vec<_> = report
        .files
        .iter()
        .filter(|x| x.unit.as_deref() == Some(&u.id) && x.status != Status::Ignored)
        .collect();
    let mut receipts = Some(receipt_cells(page, &u.id));
    let mut rows = Vec::new();
    if files.is_empty() {
        let mut row = vec![
            V::T(u.name.clone()),
            V::T("—".into()),
            V::T("—".into()),
            V::T("未报送".into()),
            V::I(Some(0)),
            V::I(Some(0)),
        ];
        row.extend(no_bundle(rollup));
        row.extend(receipts.take().unwrap_or_else(blank));
        rows.push(row);
    }
    for x in files {
        let mut row = vec![
            V::T(u.name.clone()),
            V::T(file_name(&x.path)),
            V::T(short(x.sha256.as_deref())),
            V::T(status(x.status).into()),
            V::I(Some(count(x, true))),
            V::I(Some(count(x, false))),
        ];
        if rollup {
            let r = x.received.as_ref();
            row.push(V::T(short(r.map(|r| r.publication_sha256.as_str()))));
            row.push(V::T(match r {
                Some(r) if r.preliminary => "初步".into(),
                Some(_) => "正式".into(),
                None => "—".into(),
            }));
        }
        row.extend(receipts.take().unwrap_or_else(blank));
        rows.push(row);
    }
    rows
}

/// Files of no unit, and files skipped.
fn stray_rows(page: &Page, rollup: bool) -> Vec<Vec<V>> {
    let mut rows = Vec::new();
    for x in page
        .report
        .files
        .iter()
        .filter(|x| x.unit.is_none() || x.status == Status::Ignored)
    {
        let st = if x.status == Status::Ignored {
            "已跳过"
        } else {
            "退回（单位不明）"
        };
        let mut row = vec![
            V::T("—".into()),
            V::T(file_name(&x.path)),
            V::T(short(x.sha256.as_deref())),
            V::T(st.into()),
            V::I(None),
            V::I(None),
        ];
        row.extend(no_bundle(rollup));
        row.extend(blank());
        rows.push(row);
    }
    rows
}

/// The sheet's columns and its note on the hashes.
fn columns(page: &Page, rollup: bool) -> (Vec<Col>, String) {
    let mut cols = vec![
        Col::new(page.word("镇街")).max(12.0),
        Col::new("文件").max(36.0),
        Col::new("sha256\n（前12位）").max(14.0),
        Col::new("状态").max(10.0),
        Col::new("强制性\n问题"),
        Col::new("提示性\n问题"),
    ];
    let mut note =
        "注：完整的 sha256 记在本月发布文件夹的 manifest.json 中，可据此核对原始报表。".to_string();
    if rollup {
        cols.push(Col::new("发布清单 sha256\n（前12位）").max(16.0));
        cols.push(Col::new("该月发布"));
        note = "注：完整的 sha256 记在本月发布文件夹的 manifest.json 中；数据包的 sha256 可与报送单位导出时显示的核对，发布清单的 sha256 即其 manifest.json 的。“初步”指该单位这个月是初步发布的。".into();
    }
    cols.extend([
        Col::new("收到\n版本数"),
        Col::new("退回\n次数"),
        Col::new("首次收到").max(17.0),
        Col::new("通过的\n版本").max(8.0),
    ]);
    (cols, note)
}

/// 报送情况: one row per unit (and per file when a unit sent several), then files of no unit;
/// each unit's receipts from the month's log on its first row.
pub(super) fn files(ws: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    ws.set_name(FILES)?;
    let rollup = page.config.is_rollup();
    let mut rows: Vec<Vec<V>> = page
        .config
        .units
        .iter()
        .flat_map(|u| unit_rows(page, u, rollup))
        .collect();
    rows.extend(stray_rows(page, rollup));
    let (cols, note) = columns(page, rollup);
    let t = Table {
        title: page.title(&page.word("各镇街报送情况")),
        cols,
        rows,
        total: None,
        freeze_cols: 1,
        notes: vec![
            note,
            "收到版本数、退回次数、首次收到、通过的版本取自收文登记（output/receipts/）：每个不同内容的文件算一个版本，退回次数是有强制性问题的版本数，通过的版本是计入汇总的那一份按收到先后排第几版；“—”表示收文登记中没有本单位的记录。".into(),
        ],
    };
    table::write(ws, &t, page.report.files.len() > 30).map(|_| ())
}

/// 数据校验: every finding, errors first, each with where it is and what to do.
pub(super) fn findings(ws: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    ws.set_name(FINDINGS)?;
    let mut ds: Vec<_> = page.report.diagnostics.iter().collect();
    ds.sort_by_key(|d| d.severity); // stable: errors first, each in check order
    let rows: Vec<Vec<V>> = ds
        .iter()
        .map(|d| {
            let unit = d
                .unit
                .as_deref()
                .and_then(|u| page.config.unit(u))
                .map_or(String::new(), |u| u.name.clone());
            vec![
                V::T(match d.severity {
                    crate::core::findings::Severity::Note => "读取说明".to_string(),
                    s => format!("{}审核", s.label()),
                }),
                V::T(d.code.as_str()),
                V::T(d.file.as_deref().map(file_name).unwrap_or_default()),
                V::T(d.sheet.clone().unwrap_or_default()),
                V::T(d.cell.clone().unwrap_or_default()),
                V::T(unit),
                V::T(d.message.clone()),
            ]
        })
        .collect();
    let n = rows.len();
    let t = Table {
        title: page.title("数据校验结果"),
        cols: vec![
            Col::new("类别").max(10.0),
            Col::new("代码").max(22.0),
            Col::new("文件").max(16.0),
            Col::new("工作表").max(10.0),
            Col::new("单元格").max(7.0),
            Col::new(page.word("镇街")).max(10.0),
            Col::new("说明").max(46.0),
        ],
        rows,
        total: None,
        freeze_cols: 2,
        notes: Vec::new(),
    };
    table::write(ws, &t, n > 12).map(|_| ())
}
