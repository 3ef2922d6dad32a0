//! The accounting sheets of the workbook: 报送情况 (each unit's file, short hash, status) and
//! 数据校验 (every finding, errors first, messages wrapped to be read on paper).

use std::path::Path;

use rust_xlsxwriter::{Worksheet, XlsxError};

use super::table::{self, Col, Table, V};
use super::{FILES, FINDINGS, Page};
use crate::core::findings::FileStatus as Status;
use crate::report::view::Filed;

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

/// 报送情况: one row per unit (and per file when a unit sent several), then files of no unit.
pub(super) fn files(ws: &mut Worksheet, page: &Page) -> Result<(), XlsxError> {
    ws.set_name(FILES)?;
    let report = page.report;
    let count = |x: &Filed, err: bool| {
        report
            .diagnostics
            .iter()
            .filter(|d| d.file.as_deref() == Some(&x.path) && d.is_error() == err)
            .count() as i64
    };
    let status = |s: Status| match s {
        Status::Ok => "通过",
        Status::Error => "退回",
        Status::Ignored => "已跳过",
    };
    let mut rows = Vec::new();
    for u in &page.config.units {
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
            rows.push(vec![
                V::T(u.name.clone()),
                V::T(file_name(&x.path)),
                V::T(short(x.sha256.as_deref())),
                V::T(status(x.status).into()),
                V::I(Some(count(x, true))),
                V::I(Some(count(x, false))),
            ]);
        }
    }
    for x in report
        .files
        .iter()
        .filter(|x| x.unit.is_none() || x.status == Status::Ignored)
    {
        let st = if x.status == Status::Ignored {
            "已跳过"
        } else {
            "退回（单位不明）"
        };
        rows.push(vec![
            V::T("—".into()),
            V::T(file_name(&x.path)),
            V::T(short(x.sha256.as_deref())),
            V::T(st.into()),
            V::I(None),
            V::I(None),
        ]);
    }
    let t = Table {
        title: page.title("各镇街报送情况"),
        cols: vec![
            Col::new("镇街").max(12.0),
            Col::new("文件").max(36.0),
            Col::new("sha256\n（前12位）").max(14.0),
            Col::new("状态").max(10.0),
            Col::new("强制性\n问题"),
            Col::new("提示性\n问题"),
        ],
        rows,
        total: None,
        freeze_cols: 1,
        notes: vec![
            "注：完整的 sha256 记在本月发布文件夹的 manifest.json 中，可据此核对原始报表。".into(),
        ],
    };
    table::write(ws, &t, report.files.len() > 30).map(|_| ())
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
                V::T(format!("{}审核", d.severity.label())),
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
            Col::new("镇街").max(10.0),
            Col::new("说明").max(46.0),
        ],
        rows,
        total: None,
        freeze_cols: 2,
        notes: Vec::new(),
    };
    table::write(ws, &t, n > 12).map(|_| ())
}
