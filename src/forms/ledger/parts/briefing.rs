//! The ledger's paragraph of the briefing: totals, 办结率, the overdue items and their main
//! categories, then the units that never sent a ledger, in the config's wording.

use std::collections::BTreeMap;

use super::unit_name;
use crate::config::Config;
use crate::core::text::fill;
use crate::forms::ledger::state::{ItemState, MonthState};

/// The ledger paragraph (empty when no unit has a ledger): totals, 办结率, the overdue items
/// and the categories most of them are in, then the units that never sent a ledger; `vars`
/// are the placeholders every sentence of the briefing may use.
pub fn paragraph(
    state: Option<&MonthState>,
    config: &Config,
    vars: &BTreeMap<String, String>,
) -> String {
    let b = &config.briefing;
    let Some(state) = state else {
        return String::new();
    };
    let t = &state.total;
    let Some(rate) = t.rate() else {
        return String::new();
    };
    let mut v = vars.clone();
    v.insert("due_days".into(), state.due_days.to_string());
    let overdue = state.overdue();
    let part = if overdue.is_empty() {
        fill(&b.ledger_no_overdue, &v)
    } else {
        let mut v = v.clone();
        v.insert("count".into(), overdue.len().to_string());
        v.insert(
            "categories".into(),
            top_categories(&overdue, config).join("、"),
        );
        fill(&b.ledger_overdue, &v)
    };
    for (k, x) in [
        ("collected", t.collected_total),
        ("settled", t.settled()),
        ("solved", t.solved),
    ] {
        v.insert(k.into(), x.to_string());
    }
    v.insert("rate".into(), format!("{:.1}", rate * 100.0));
    v.insert("overdue".into(), part);
    let mut out = fill(&b.ledger, &v) + "\n\n";
    let never: Vec<String> = state
        .units
        .iter()
        .filter(|u| u.figures.is_none())
        .map(|u| unit_name(config, &u.unit_id))
        .collect();
    if !never.is_empty() {
        v.insert("count".into(), never.len().to_string());
        v.insert("units".into(), never.join("、"));
        out.push_str(&fill(&b.ledger_missing, &v));
        out.push_str("\n\n");
    }
    out
}

/// The (at most two) categories with the most overdue items, ties in the config's order.
fn top_categories(overdue: &[&ItemState], config: &Config) -> Vec<String> {
    let cats = &config.ledger.categories;
    let mut counts: Vec<(usize, usize, &str)> = cats
        .iter()
        .enumerate()
        .map(|(k, c)| {
            (
                overdue.iter().filter(|i| &i.category == c).count(),
                k,
                c.as_str(),
            )
        })
        .filter(|x| x.0 > 0)
        .collect();
    counts.sort_by_key(|x| (std::cmp::Reverse(x.0), x.1));
    counts
        .into_iter()
        .take(2)
        .map(|x| x.2.to_string())
        .collect()
}
