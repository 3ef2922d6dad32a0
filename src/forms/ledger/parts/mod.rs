//! The ledger's parts of a month's report, as neutral descriptions (`core::part`): its sheets,
//! the full overdue list beside the workbook, the 办结率 chart and the briefing's paragraph.

mod briefing;
mod sheets;

pub use briefing::paragraph;

use super::state::MonthState;
use crate::config::Config;
use crate::core::part::{Document, Frame, RateChart, Sheet};
use crate::core::text::Period;

/// The sheet of the ledger per unit and in all.
pub const LEDGER: &str = "意见建议办理";
/// The sheet of every overdue ledger item.
pub const OVERDUE: &str = "超期清单";

/// Shown for a unit that has never sent a ledger: its figures are unknown, never zero.
pub const NOT_SENT: &str = "未报送台账";

/// Overdue items the workbook's 超期清单 lists (the longest open); the full list is a file of
/// its own ([`overdue_file_name`]), printed when needed.
pub const OVERDUE_SHOWN: usize = 30;

/// The 办结率 chart's file name (without extension).
pub const CHART_NAME: &str = "各镇街意见建议办结率";

/// Words of the 办结率 chart beside the config's: its subject, the axis, what is left out.
pub const TEXTS: [&str; 3] = ["各镇街意见建议办结率", "办结率", "未报送台账的镇街不列入"];

/// `长沙县2022年6月超期未办结意见建议清单.xlsx`: every overdue item, beside the workbook.
///
/// ```
/// let config = liaison::config::Config::embedded();
/// let p = liaison::core::text::Period::new(2022, 6).unwrap();
/// assert_eq!(
///     liaison::forms::ledger::parts::overdue_file_name(&config, p),
///     "长沙县2022年6月超期未办结意见建议清单.xlsx"
/// );
/// ```
pub fn overdue_file_name(config: &Config, p: Period) -> String {
    format!(
        "{}{}年{}月超期未办结意见建议清单.xlsx",
        config.region.name,
        p.year(),
        p.month()
    )
}

/// The name of a unit by its id (the id when the config does not know it).
fn unit_name(config: &Config, id: &str) -> String {
    config.unit(id).map_or(id.to_string(), |u| u.name.clone())
}

/// The workbook's ledger sheets: 意见建议办理 (with its 办结率 chart) and 超期清单 (the
/// `OVERDUE_SHOWN` longest open); each says 本表没有台账数据 when no archive computed the state.
pub fn sheets(state: Option<&MonthState>, frame: &Frame, config: &Config) -> Vec<Sheet> {
    vec![
        sheets::summary(state, frame, config),
        sheets::overdue(state, frame, config, Some(OVERDUE_SHOWN)),
    ]
}

/// The full overdue list (one sheet 超期清单, every overdue item, ready to print), none when
/// the month has no overdue item (or no ledger).
pub fn documents(state: Option<&MonthState>, frame: &Frame, config: &Config) -> Vec<Document> {
    let Some(state) = state else {
        return Vec::new();
    };
    if state.overdue().is_empty() {
        return Vec::new();
    }
    vec![Document {
        file_name: overdue_file_name(config, frame.period),
        title: frame.title("超期未办结意见建议清单"),
        sheets: vec![sheets::overdue(Some(state), frame, config, None)],
    }]
}

/// The 办结率-by-unit chart: the units with a ledger, highest rate first (units that never
/// sent one are left out and the axis says so); no bar without a state.
pub fn rate_chart(state: Option<&MonthState>, config: &Config) -> RateChart {
    let unit_word = config.unit_word();
    RateChart {
        what: TEXTS[0].replace("镇街", unit_word),
        description: format!("{}；{}", TEXTS[1], TEXTS[2].replace("镇街", unit_word)),
        rates: state.map_or_else(Vec::new, |s| rates(s, config)),
    }
}

/// 办结率 per unit with a ledger, highest first: (unit name, percent).
fn rates(state: &MonthState, config: &Config) -> Vec<(String, f64)> {
    let mut v: Vec<(String, f64)> = state
        .units
        .iter()
        .filter_map(|u| {
            let rate = u.figures?.rate()?;
            Some((unit_name(config, &u.unit_id), rate * 100.0))
        })
        .collect();
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v
}
