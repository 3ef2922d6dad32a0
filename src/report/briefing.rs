//! The briefing draft (简报): sentences built from the period's figures with the wording
//! templates of the config (`[briefing]`), so another region says 全区 without a code change.

use std::collections::BTreeMap;

use crate::config::Config;
use crate::figures::MonthFigures;
use crate::report::View;

pub use crate::core::text::fill;

/// The briefing in Markdown: title, the preliminary and left-out notes, the headline figures,
/// the leading and trailing units, month on month, missing units, then the sheet kinds' (the
/// ledger's).
pub fn markdown(m: &MonthFigures, report: &View, config: &Config) -> String {
    let b = &config.briefing;
    let p = report.period;
    let vars = month_vars(m, report, config);
    let mut out = format!(
        "# {}{}年{}月人大代表进站活动情况\n\n",
        config.region.name,
        p.year(),
        p.month()
    );
    let mut paragraph = |text: String| {
        if !text.is_empty() {
            out.push_str(&text);
            out.push_str("\n\n");
        }
    };
    if report.preliminary() {
        paragraph(fill(&b.preliminary, &vars));
    }
    let refused: Vec<String> = super::scope::left_out(report, config)
        .iter()
        .filter(|u| matches!(u.why, super::scope::Reason::Refused(_)))
        .map(super::scope::LeftOut::describe)
        .collect();
    paragraph(units_paragraph(&b.refused, &vars, &refused));
    paragraph(fill(&b.headline, &vars));
    paragraph(year_to_date(m, config, &vars));
    paragraph(leading(m, config, &vars));
    paragraph(month_on_month(m, config, &vars));
    let missing: Vec<String> = report
        .missing_units
        .iter()
        .map(|u| config.unit(u).map_or(u.clone(), |x| x.name.clone()))
        .collect();
    paragraph(units_paragraph(&b.missing, &vars, &missing));
    out.push_str(&m.folded.paragraphs(config, &vars));
    out
}

/// The placeholders every sentence may use: scope, region, year, month, each metric id's
/// county figure, stations and units.
fn month_vars(m: &MonthFigures, report: &View, config: &Config) -> BTreeMap<String, String> {
    let p = report.period;
    let mut vars = BTreeMap::new();
    vars.insert("scope".to_string(), config.region.scope.clone());
    vars.insert("region".to_string(), config.region.name.clone());
    vars.insert("year".to_string(), p.year().to_string());
    vars.insert("month".to_string(), p.month().to_string());
    for (id, f) in m.ids.iter().zip(&m.county.metrics) {
        vars.insert(id.clone(), f.value.unwrap_or(0).to_string());
    }
    vars.insert(
        "stations".into(),
        m.county.stations.value.unwrap_or(0).to_string(),
    );
    vars.insert(
        "units".into(),
        m.county.units.value.unwrap_or(0).to_string(),
    );
    vars
}

/// The year to date, labelled by the months it sums and naming those not in the archive
/// (empty when it sums this month alone).
fn year_to_date(m: &MonthFigures, config: &Config, vars: &BTreeMap<String, String>) -> String {
    let (p, c) = (m.period, &m.county);
    if c.year_to_date_months.len() < 2 {
        return String::new();
    }
    let mut v = vars.clone();
    for (id, x) in m.ids.iter().zip(&c.year_to_date) {
        v.insert(id.clone(), x.map_or("—".into(), |x| x.to_string()));
    }
    v.insert(
        "months".into(),
        crate::figures::months_text(&c.year_to_date_months),
    );
    let missing = c.year_to_date_missing(p);
    v.insert(
        "missing".into(),
        if missing.is_empty() {
            String::new()
        } else {
            format!(
                "（{}的数据不在档案中，未计入）",
                crate::figures::months_text(&missing)
            )
        },
    );
    fill(&config.briefing.ytd, &v)
}

/// `template` naming `units` and their count (empty when there are none).
fn units_paragraph(template: &str, vars: &BTreeMap<String, String>, units: &[String]) -> String {
    if units.is_empty() {
        return String::new();
    }
    let mut v = vars.clone();
    v.insert("units".into(), units.join("、"));
    v.insert("count".into(), units.len().to_string());
    fill(template, &v)
}

/// Leading and trailing units on each headline metric (empty with fewer than two units).
fn leading(m: &MonthFigures, config: &Config, vars: &BTreeMap<String, String>) -> String {
    let mut lines = Vec::new();
    for (id, label, measure) in headline(config) {
        let Some(i) = m.index(&id) else { continue };
        let vals: Vec<(i64, String)> = m
            .units
            .iter()
            .filter_map(|u| Some((u.metrics[i].value?, u.name.clone())))
            .collect();
        if vals.len() < 2 {
            continue;
        }
        let max = vals.iter().map(|v| v.0).max().unwrap_or(0);
        let min = vals.iter().map(|v| v.0).min().unwrap_or(0);
        let names = |x: i64| {
            vals.iter()
                .filter(|v| v.0 == x)
                .map(|v| v.1.clone())
                .collect::<Vec<_>>()
                .join("、")
        };
        let mut v = vars.clone();
        v.insert("metric".into(), label);
        v.insert("measure".into(), measure);
        v.insert("top".into(), names(max));
        v.insert("top_value".into(), max.to_string());
        v.insert("bottom".into(), names(min));
        v.insert("bottom_value".into(), min.to_string());
        lines.push(fill(&config.briefing.leading, &v));
    }
    lines.join("")
}

/// Month on month, when the previous month is in the history: like with like only (empty
/// otherwise).
fn month_on_month(m: &MonthFigures, config: &Config, vars: &BTreeMap<String, String>) -> String {
    let b = &config.briefing;
    let Some(c) = super::scope::compare(m) else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (id, label, measure) in headline(config) {
        let Some(change) = m.index(&id).and_then(|i| c.figures[i].change) else {
            continue;
        };
        let mut v = vars.clone();
        v.insert("metric".into(), label);
        v.insert("measure".into(), measure);
        v.insert("change".into(), change.abs().to_string());
        let t = match change.signum() {
            1 => &b.mom_up,
            -1 => &b.mom_down,
            _ => &b.mom_same,
        };
        parts.push(fill(t, &v));
    }
    let mut v = vars.clone();
    v.insert("changes".into(), parts.join("，"));
    v.insert("count".into(), c.units.to_string());
    fill(if c.same_units { &b.mom } else { &b.mom_partial }, &v)
}

/// (metric id, label, measure) of the briefing's headline metrics.
fn headline(config: &Config) -> Vec<(String, String, String)> {
    std::iter::once((
        "deputies_total".to_string(),
        config.deputies_label(),
        "人".to_string(),
    ))
    .chain(
        config
            .headline_metrics()
            .map(|m| (m.id.clone(), m.label.clone(), m.measure.clone())),
    )
    .collect()
}

/// The briefing as a Word document: the Markdown's title and paragraphs, East Asian fonts set
/// (黑体 title, 仿宋 body, as an office writes), creation date fixed to the period.
pub fn docx(
    markdown: &str,
    period: crate::core::text::Period,
) -> Result<Vec<u8>, super::ReportError> {
    use docx_rs::{Docx, Paragraph, Run, RunFonts};
    let body = RunFonts::new()
        .east_asia("仿宋_GB2312")
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman");
    let mut doc = Docx::new()
        .default_fonts(body.clone())
        .created_at(&format!(
            "{:04}-{:02}-01T00:00:00Z",
            period.year(),
            period.month()
        ))
        .updated_at(&format!(
            "{:04}-{:02}-01T00:00:00Z",
            period.year(),
            period.month()
        ));
    for line in markdown.lines().filter(|l| !l.trim().is_empty()) {
        let p = match line.strip_prefix("# ") {
            Some(title) => Paragraph::new()
                .align(docx_rs::AlignmentType::Center)
                .add_run(
                    Run::new()
                        .add_text(title)
                        .bold()
                        .size(36)
                        .fonts(RunFonts::new().east_asia("黑体")),
                ),
            None => Paragraph::new()
                .indent(
                    None,
                    Some(docx_rs::SpecialIndentType::FirstLine(640)),
                    None,
                    None,
                )
                .add_run(Run::new().add_text(line).size(32).fonts(body.clone())),
        };
        doc = doc.add_paragraph(p);
    }
    let mut buf = std::io::Cursor::new(Vec::new());
    doc.build()
        .pack(&mut buf)
        .map_err(|e| super::ReportError::Briefing(Box::new(e)))?;
    Ok(buf.into_inner())
}
