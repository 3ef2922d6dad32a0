//! The summary's briefing paragraph (简报.md, and .docx by the monthly briefing's writer): the
//! config's headline sentence said of the span — deputies over months are 人次, never 名 — then
//! 同比 like for like, what the figures leave out, and what a month's form lacked.

use std::collections::BTreeMap;

use super::Summary;
use super::figures::Yoy;
use super::span::{month_words, months_words};
use crate::config::Config;
use crate::report::briefing::fill;

/// The config's headline sentence for a span: `{month}月份` becomes the span's label and the
/// deputies' `名` becomes `人次` (the same deputy enters every month).
pub fn headline_template(config: &Config) -> String {
    config
        .briefing
        .headline
        .replace("{month}月份", "{label}")
        .replace("{month}月", "{label}")
        .replace("{month}", "{label}")
        .replace("{deputies_total}名", "{deputies_total}人次")
        .replace("{deputies_total}位", "{deputies_total}人次")
}

fn vars(s: &Summary, config: &Config) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    v.insert("scope".into(), config.region.scope.clone());
    v.insert("region".into(), config.region.name.clone());
    v.insert("label".into(), s.label());
    for (id, t) in s.ids.iter().zip(&s.county) {
        v.insert(id.clone(), t.value().map_or("—".into(), |x| x.to_string()));
    }
    v
}

/// The 同比 sentence over the headline metrics, when compared.
fn yoy(s: &Summary, config: &Config) -> Option<String> {
    let Yoy::Compared {
        same_units,
        pairs,
        current,
        previous,
    } = &s.yoy
    else {
        return None;
    };
    let b = &config.briefing;
    let headline = std::iter::once((
        "deputies_total".to_string(),
        config.deputies_label(),
        "人次",
    ))
    .chain(
        config
            .headline_metrics()
            .map(|m| (m.id.clone(), m.label.clone(), m.measure.as_str())),
    );
    let changes: Vec<String> = headline
        .filter_map(|(id, label, measure)| {
            let i = s.index(&id)?;
            let (c, p) = (current[i].value()?, previous[i].value()?);
            let mut v = BTreeMap::new();
            v.insert("metric".to_string(), label);
            v.insert("change".to_string(), (c - p).abs().to_string());
            v.insert("measure".to_string(), measure.to_string());
            let t = match c.cmp(&p) {
                std::cmp::Ordering::Greater => &b.mom_up,
                std::cmp::Ordering::Less => &b.mom_down,
                std::cmp::Ordering::Equal => &b.mom_same,
            };
            Some(fill(t, &v))
        })
        .collect();
    if changes.is_empty() {
        return None;
    }
    let prev = s.span.previous_year()?.label();
    let scope = if *same_units {
        String::new()
    } else {
        format!("（同口径：两年同一月份都计入的{pairs}个单位·月）")
    };
    Some(format!("与{prev}相比{scope}，{}。", changes.join("，")))
}

/// The briefing in Markdown: title, the 初步 note, the headline, 同比, the metrics a month lacked.
pub fn markdown(s: &Summary, config: &Config) -> String {
    let mut out = format!(
        "# {}{}人大代表进站活动情况\n\n",
        config.region.name,
        s.label()
    );
    let mut paragraph = |text: String| {
        if !text.is_empty() {
            out.push_str(&text);
            out.push_str("\n\n");
        }
    };
    if s.preliminary() {
        let mut note = String::from("（初步数据：");
        let missing = s.missing();
        if !missing.is_empty() {
            note.push_str(&format!("{}未发布，", months_words(&missing)));
        }
        for m in &s.months {
            let Some(p) = m.published.as_ref().filter(|p| !p.left_out.is_empty()) else {
                continue;
            };
            let names: Vec<String> = p.left_out.iter().map(|l| l.describe()).collect();
            note.push_str(&format!(
                "{}未计入{}，",
                month_words(m.period),
                names.join("、")
            ));
        }
        note = note.trim_end_matches('，').to_string();
        let units = s
            .months
            .iter()
            .any(|m| m.published.as_ref().is_some_and(|p| !p.left_out.is_empty()));
        let what = match (missing.is_empty(), units) {
            (false, true) => "这些月份和单位",
            (false, false) => "这些月份",
            _ => "这些单位",
        };
        note.push_str(&format!("；以下数字不含{what}。）"));
        paragraph(note);
    }
    paragraph(fill(&headline_template(config), &vars(s, config)));
    paragraph(yoy(s, config).unwrap_or_default());
    let lacking: Vec<String> = s
        .ids
        .iter()
        .zip(&s.county)
        .filter(|(_, t)| !t.lacking.is_empty())
        .map(|(id, t)| {
            let label = config
                .metrics
                .iter()
                .find(|m| m.id == *id)
                .map_or_else(|| config.deputies_label(), |m| config.metric_title(m));
            format!(
                "{label}：{}的报表式样没有该项，以上记“—”（其余月份之和为{}）",
                months_words(&t.lacking),
                t.known
            )
        })
        .collect();
    if !lacking.is_empty() {
        paragraph(format!("说明：{}。", lacking.join("；")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headline_says_person_times() {
        let t = headline_template(&Config::embedded());
        assert!(
            t.starts_with("{label}，{scope}共有{deputies_total}人次各级人大代表"),
            "{t}"
        );
        assert!(!t.contains("{month}") && !t.contains("名"), "{t}");
    }
}
