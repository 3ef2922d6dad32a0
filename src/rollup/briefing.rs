//! The roll-up's bulletin draft: the region's paragraphs as a month's briefing says them (全市),
//! then one paragraph per county in the seed's style, in its own words ("长沙县：5月份，全县共有
//! 1160名各级人大代表进站开展活动…"), a preliminary county marked, a missing one said so.

use std::collections::BTreeMap;

use crate::check::Status;
use crate::config::Config;
use crate::figures::MonthFigures;
use crate::report::View;
use crate::report::briefing::{self, fill};

/// The bulletin in Markdown: the region's briefing, then a paragraph per county (config order);
/// `scopes` holds each county's own scope word (全县, 全区) by unit id.
pub fn markdown(
    m: &MonthFigures,
    report: &View,
    config: &Config,
    scopes: &BTreeMap<String, String>,
) -> String {
    let mut out = briefing::markdown(m, report, config);
    if !out.ends_with("\n\n") {
        out.push('\n');
    }
    out.push_str(&format!("## 各{}\n\n", config.unit_word()));
    for u in &config.units {
        out.push_str(&paragraph(m, report, config, scopes, &u.id, &u.name));
        out.push_str("\n\n");
    }
    out
}

/// One county's paragraph.
fn paragraph(
    m: &MonthFigures,
    report: &View,
    config: &Config,
    scopes: &BTreeMap<String, String>,
    id: &str,
    name: &str,
) -> String {
    let Some(unit) = m.unit(id) else {
        let sent: Vec<_> = report
            .files
            .iter()
            .filter(|f| f.unit.as_deref() == Some(id) && f.status != Status::Ignored)
            .collect();
        if sent.is_empty() {
            return format!("{name}：本月未上报，未计入以上数字。");
        }
        let first = report
            .diagnostics
            .iter()
            .find(|d| d.is_error() && sent.iter().any(|f| d.file.as_deref() == Some(&f.path)))
            .map_or(String::new(), |d| format!("（{}）", short(&d.message)));
        return format!("{name}：上报的数据包未通过核对{first}，未计入以上数字。");
    };
    let p = m.period;
    let mut vars = BTreeMap::new();
    let scope = scopes.get(id).cloned().unwrap_or_else(|| "全县".into());
    vars.insert("scope".to_string(), scope);
    vars.insert("region".to_string(), name.to_string());
    vars.insert("year".to_string(), p.year().to_string());
    vars.insert("month".to_string(), p.month().to_string());
    for (i, mid) in m.ids.iter().enumerate() {
        let v = unit.metrics[i]
            .value
            .map_or("—".to_string(), |v| v.to_string());
        vars.insert(mid.clone(), v);
    }
    vars.insert(
        "stations".into(),
        unit.stations.value.unwrap_or(0).to_string(),
    );
    let preliminary = report
        .files
        .iter()
        .filter(|f| f.unit.as_deref() == Some(id) && f.status == Status::Ok)
        .any(|f| f.received.as_ref().is_some_and(|r| r.preliminary));
    let mark = if preliminary {
        "（初步数据）"
    } else {
        ""
    };
    format!("{name}{mark}：{}", fill(&config.briefing.headline, &vars))
}

/// The start of a message, for a paragraph meant for the leadership.
fn short(s: &str) -> String {
    let head: String = s.chars().take(40).collect();
    if head.chars().count() < s.chars().count() {
        head + "……"
    } else {
        head
    }
}
