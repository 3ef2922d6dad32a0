//! The briefing's wording: the sentences `report` fills in from the figures, each replaceable
//! in the config's `[briefing]` table (the 长沙县 wording by default).

use serde::{Deserialize, Serialize};

/// Wording templates of the briefing; `{scope}`, `{month}`, metric ids and the names given
/// in each comment are filled in from the figures.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Briefing {
    /// The headline sentence.
    pub headline: String,
    /// Leading and trailing units of one metric: {metric} {measure} {top} {top_value} {bottom} {bottom_value}.
    pub leading: String,
    /// Month-on-month paragraph: {changes}.
    pub mom: String,
    /// One change upward: {metric} {change} {measure}.
    pub mom_up: String,
    /// One change downward.
    pub mom_down: String,
    /// No change.
    pub mom_same: String,
    /// Units that did not report: {units} {count}.
    pub missing: String,
    /// Note on a preliminary publication.
    pub preliminary: String,
    /// Month-on-month over the units counted in both months only: {count} {changes}.
    pub mom_partial: String,
    /// Units whose returns were refused: {units} (each with its first problem) {count}.
    pub refused: String,
    /// The ledger paragraph: {month} {scope} {collected} {settled} {solved} {rate} {overdue}.
    pub ledger: String,
    /// Its overdue part when there are overdue items: {due_days} {count} {categories}.
    pub ledger_overdue: String,
    /// Its overdue part when there is none: {due_days}.
    pub ledger_no_overdue: String,
    /// Units that never sent a ledger: {units} {count}.
    pub ledger_missing: String,
    /// The year to date, when it sums more than this month: {months} (`1—6月`, or `5—6月` when
    /// the archive lacks months), {missing} (the months not in the archive, or nothing), and the
    /// metric ids as sums over those months.
    pub ytd: String,
}

impl Default for Briefing {
    fn default() -> Self {
        Briefing {
            headline: "{month}月份，{scope}共有{deputies_total}名各级人大代表进站开展活动，共接待和走访选民{voters_received}人次，开展政策、法规宣讲{publicity_sessions}场次，收集反馈意见建议{suggestions_collected}条，帮助群众解决困难和问题{problems_solved}个。".into(),
            leading: "{metric}最多的是{top}（{top_value}{measure}），最少的是{bottom}（{bottom_value}{measure}）。".into(),
            mom: "与上月相比，{changes}。".into(),
            mom_up: "{metric}增加{change}{measure}".into(),
            mom_down: "{metric}减少{change}{measure}".into(),
            mom_same: "{metric}持平".into(),
            missing: "本月{units}共{count}个单位未报送报表。".into(),
            preliminary: "（初步数据：有的单位报表未通过审核或未报送，未计入以下数字，见下文。）".into(),
            mom_partial: "与上月相比（同口径：两个月都计入的{count}个单位），{changes}。".into(),
            refused: "本月{units}共{count}个单位的报表未通过审核，未计入本简报的数字。".into(),
            ledger: "截至{month}月底，{scope}累计收集意见建议{collected}条，已办结{settled}条（其中解决{solved}条），办结率{rate}%；{overdue}".into(),
            ledger_overdue: "超过{due_days}天未办结的{count}条，主要涉及{categories}。".into(),
            ledger_no_overdue: "没有超过{due_days}天未办结的。".into(),
            ledger_missing: "{units}共{count}个单位未报送意见建议办理台账，未计入以上数字。".into(),
            ytd: "{months}累计，{scope}共有{deputies_total}人次各级人大代表进站开展活动，共接待和走访选民{voters_received}人次，开展政策、法规宣讲{publicity_sessions}场次，收集反馈意见建议{suggestions_collected}条，帮助群众解决困难和问题{problems_solved}个{missing}。".into(),
        }
    }
}
