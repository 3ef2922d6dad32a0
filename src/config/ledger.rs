//! The `[ledger]` section of the config: categories, statuses with their aliases, `due_days`
//! and the header spellings of the ledger sheet, with the defaults when absent.

use serde::{Deserialize, Serialize};

use crate::config::Invalid;
use crate::core::text::fold;

/// Where an item ended the month (办理状态).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 已解决: settled, the problem solved.
    Solved,
    /// 已答复: settled by an answer.
    Answered,
    /// 正在办理: open, in hand.
    InProgress,
    /// 未办理: open, not started.
    NotStarted,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 4] = [
        Status::Solved,
        Status::Answered,
        Status::InProgress,
        Status::NotStarted,
    ];

    /// The default name (a config may print another: `LedgerConfig::status_label`).
    pub fn label(self) -> &'static str {
        match self {
            Status::Solved => "已解决",
            Status::Answered => "已答复",
            Status::InProgress => "正在办理",
            Status::NotStarted => "未办理",
        }
    }

    /// 已解决 or 已答复.
    pub fn settled(self) -> bool {
        matches!(self, Status::Solved | Status::Answered)
    }

    /// 已解决.
    pub fn solved(self) -> bool {
        self == Status::Solved
    }

    /// 正在办理 or 未办理.
    pub fn open(self) -> bool {
        !self.settled()
    }
}

/// The ledger's configuration, validated when the config is loaded.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "LedgerToml", into = "LedgerToml")]
pub struct LedgerConfig {
    /// Days after which an open item is overdue (counted to the period's last day).
    pub due_days: u32,
    /// The categories an item may have (类别).
    pub categories: Vec<String>,
    /// Status words: the first of each list is the official name.
    pub statuses: Statuses,
    /// Header spellings of each ledger column.
    pub headers: Headers,
}

/// The words of each status; the first word is the one reports print.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Statuses {
    /// 已解决 and its aliases.
    pub solved: Vec<String>,
    /// 已答复 and its aliases.
    pub answered: Vec<String>,
    /// 正在办理 and its aliases.
    pub in_progress: Vec<String>,
    /// 未办理 and its aliases.
    pub not_started: Vec<String>,
}

/// Header spellings of the ledger columns (the lists replace the defaults).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Headers {
    /// 编号.
    pub id: Vec<String>,
    /// 收集日期.
    pub collected: Vec<String>,
    /// 工作站.
    pub station: Vec<String>,
    /// 代表.
    pub deputies: Vec<String>,
    /// 意见建议内容.
    pub content: Vec<String>,
    /// 类别.
    pub category: Vec<String>,
    /// 承办单位.
    pub handler: Vec<String>,
    /// 办理状态.
    pub status: Vec<String>,
    /// 办结日期.
    pub settled: Vec<String>,
}

/// The `[ledger]` table as written in TOML (every key optional).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
struct LedgerToml {
    due_days: u32,
    categories: Vec<String>,
    statuses: Statuses,
    headers: Headers,
}

fn words(w: &[&str]) -> Vec<String> {
    w.iter().map(|s| s.to_string()).collect()
}

impl Default for Statuses {
    fn default() -> Self {
        Statuses {
            solved: words(&["已解决", "已办结", "解决"]),
            answered: words(&["已答复", "已回复"]),
            in_progress: words(&["正在办理", "办理中", "在办"]),
            not_started: words(&["未办理", "未办", "待办"]),
        }
    }
}

impl Default for Headers {
    fn default() -> Self {
        Headers {
            id: words(&["编号", "台账编号", "意见编号"]),
            collected: words(&["收集日期", "提出日期", "反映日期"]),
            station: words(&["工作站", "工作站名称"]),
            deputies: words(&["代表", "收集代表", "代表姓名"]),
            content: words(&["意见建议内容", "内容", "内容摘要", "问题描述"]),
            category: words(&["类别", "问题类别"]),
            handler: words(&["承办单位", "交办单位", "办理单位"]),
            status: words(&["办理状态", "状态", "办理情况"]),
            settled: words(&["办结日期", "解决日期", "完成日期"]),
        }
    }
}

impl Default for LedgerToml {
    fn default() -> Self {
        LedgerToml {
            due_days: 60,
            categories: words(&[
                "城乡建设",
                "民生保障",
                "社会治理",
                "经济发展",
                "生态环境",
                "其他",
            ]),
            statuses: Statuses::default(),
            headers: Headers::default(),
        }
    }
}

impl Default for LedgerConfig {
    fn default() -> Self {
        LedgerConfig::try_from(LedgerToml::default()).expect("the default ledger config is valid")
    }
}

impl From<LedgerConfig> for LedgerToml {
    fn from(c: LedgerConfig) -> Self {
        LedgerToml {
            due_days: c.due_days,
            categories: c.categories,
            statuses: c.statuses,
            headers: c.headers,
        }
    }
}

impl TryFrom<LedgerToml> for LedgerConfig {
    type Error = Invalid;

    fn try_from(t: LedgerToml) -> Result<Self, Invalid> {
        if t.due_days == 0 {
            return Err(Invalid("[ledger] due_days 须为正整数（天数）".to_string()));
        }
        if t.categories.iter().all(|c| fold(c).is_empty()) {
            return Err(Invalid("[ledger] categories 至少需要一个类别".to_string()));
        }
        unique("[ledger] categories 中的类别", t.categories.iter())?;
        let s = &t.statuses;
        for (key, list) in [
            ("solved", &s.solved),
            ("answered", &s.answered),
            ("in_progress", &s.in_progress),
            ("not_started", &s.not_started),
        ] {
            if list.iter().all(|w| fold(w).is_empty()) {
                return Err(Invalid(format!(
                    "[ledger.statuses] {key} 至少需要一个状态名称（第一个为正式名称）"
                )));
            }
        }
        unique(
            "[ledger.statuses] 中的状态",
            s.solved
                .iter()
                .chain(&s.answered)
                .chain(&s.in_progress)
                .chain(&s.not_started),
        )?;
        let h = &t.headers;
        let columns = [
            ("id", &h.id),
            ("collected", &h.collected),
            ("station", &h.station),
            ("deputies", &h.deputies),
            ("content", &h.content),
            ("category", &h.category),
            ("handler", &h.handler),
            ("status", &h.status),
            ("settled", &h.settled),
        ];
        for (key, list) in columns {
            if list.iter().all(|w| fold(w).is_empty()) {
                return Err(Invalid(format!(
                    "[ledger.headers] {key} 至少需要一种表头写法"
                )));
            }
        }
        unique(
            "[ledger.headers] 中的表头",
            columns.iter().flat_map(|(_, l)| l.iter()),
        )?;
        Ok(LedgerConfig {
            due_days: t.due_days,
            categories: t.categories,
            statuses: t.statuses,
            headers: t.headers,
        })
    }
}

fn unique<'a>(what: &str, items: impl Iterator<Item = &'a String>) -> Result<(), Invalid> {
    let mut seen = std::collections::HashSet::new();
    for i in items {
        let k = fold(i);
        if !k.is_empty() && !seen.insert(k) {
            return Err(Invalid(format!("{what} \"{i}\" 重复")));
        }
    }
    Ok(())
}

impl LedgerConfig {
    /// The status a cell's text names (after width-folding), if any.
    pub fn status_of(&self, text: &str) -> Option<Status> {
        let t = fold(text);
        let s = &self.statuses;
        [
            (Status::Solved, &s.solved),
            (Status::Answered, &s.answered),
            (Status::InProgress, &s.in_progress),
            (Status::NotStarted, &s.not_started),
        ]
        .into_iter()
        .find(|(_, list)| list.iter().any(|w| fold(w) == t))
        .map(|(st, _)| st)
    }

    /// The official name of a status (the first word of its list).
    pub fn status_label(&self, status: Status) -> &str {
        let s = &self.statuses;
        let list = match status {
            Status::Solved => &s.solved,
            Status::Answered => &s.answered,
            Status::InProgress => &s.in_progress,
            Status::NotStarted => &s.not_started,
        };
        list.iter()
            .find(|w| !fold(w).is_empty())
            .map_or("", String::as_str)
    }

    /// The configured category a cell's text names (after width-folding), if any.
    pub fn category_of(&self, text: &str) -> Option<&str> {
        let t = fold(text);
        self.categories
            .iter()
            .find(|c| fold(c) == t)
            .map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Wrap {
        #[serde(default)]
        ledger: LedgerConfig,
    }

    #[test]
    fn absent_section_gives_section_8_defaults() {
        let w: Wrap = toml::from_str("").unwrap();
        assert_eq!(w.ledger.due_days, 60);
        assert_eq!(w.ledger.categories.len(), 6);
        assert_eq!(w.ledger.status_of("已办结"), Some(Status::Solved));
        assert_eq!(w.ledger.status_of(" 在 办 "), Some(Status::InProgress));
        assert_eq!(w.ledger.status_of("待办"), Some(Status::NotStarted));
        assert_eq!(w.ledger.status_of("已回复"), Some(Status::Answered));
        assert_eq!(w.ledger.status_of("办完了"), None);
        assert_eq!(w.ledger.status_label(Status::Solved), "已解决");
    }

    #[test]
    fn partial_section_keeps_other_defaults() {
        let w: Wrap =
            toml::from_str("[ledger]\ndue_days = 30\ncategories = [\"交通\", \"教育\"]\n").unwrap();
        assert_eq!(w.ledger.due_days, 30);
        assert_eq!(w.ledger.category_of("交通"), Some("交通"));
        assert_eq!(w.ledger.category_of("城乡建设"), None);
        assert_eq!(w.ledger.headers.id[0], "编号");
    }

    #[test]
    fn bad_sections_are_refused_in_chinese() {
        for (text, word) in [
            ("[ledger]\ndue_days = 0\n", "due_days"),
            ("[ledger]\ncategories = []\n", "categories"),
            (
                "[ledger.statuses]\nsolved = [\"已解决\", \"办理中\"]\n",
                "办理中",
            ),
            ("[ledger.headers]\nid = [\"内容\"]\n", "内容"),
            ("[ledger]\ndue_day = 5\n", "due_day"),
        ] {
            let err = toml::from_str::<Wrap>(text).err().expect(text).to_string();
            assert!(err.contains(word), "{text}: {err}");
        }
    }

    #[test]
    fn serialises_back_to_the_same_section() {
        let w: Wrap = toml::from_str("[ledger]\ndue_days = 45\n").unwrap();
        #[derive(Serialize)]
        struct Out<'a> {
            ledger: &'a LedgerConfig,
        }
        let text = toml::to_string(&Out { ledger: &w.ledger }).unwrap();
        let again: Wrap = toml::from_str(&text).unwrap();
        assert_eq!(again.ledger.due_days, 45);
        assert_eq!(again.ledger.statuses.solved, w.ledger.statuses.solved);
    }
}
