//! The header words of a config compiled once per folder: which metric a header cell (or a
//! pair of cells, group above column) names, and which texts are only header vocabulary.

use foldhash::HashMap;

use regex::Regex;

use super::memo::{Memo, Question};
use super::split::{Part, split_part};
use crate::config::Config;
use crate::core::text::{fold, fold_keep_spaces};

/// Heavenly stems: a statistical form's 栏次 row letters its text columns 甲 乙 丙 ….
pub(super) const STEMS: &str = "甲乙丙丁戊己庚辛壬癸";

/// Headers of a return's text columns and of a 栏次 row's label cell: never a station's name.
const TEXT_HEADERS: &[&str] = &[
    "序号",
    "编号",
    "联络员",
    "联系人",
    "进站日期",
    "活动日期",
    "日期",
    "进站时间",
    "活动时间",
    "备注",
    "名称",
    "项目",
    "指标",
    "指标名称",
    "栏次",
    "行次",
    "列次",
    "栏号",
    "单位",
    "计量单位",
];

/// Marks a form puts before or after a column's name (a required column, a note below):
/// `*接待走访选民(人次)`, `…(人次)※`. Never part of the name.
const MARKS: &[char] = &['*', '★', '☆', '※', '▲', '△', '◆', '◇', '●'];

/// Header vocabulary compiled from the config.
pub struct Matcher {
    groups: HashMap<String, String>,
    columns: HashMap<String, Vec<usize>>,
    metric_groups: Vec<Option<String>>,
    stations: Vec<String>,
    measure: Regex,
    /// Whether a measure word is ASCII (else an ASCII text cannot carry one).
    measure_ascii: bool,
    /// Bytes of the longest cleaned text that can name a metric: a group, a separator, a
    /// column, a measure word in brackets after each and one after the whole.
    longest_name: usize,
    separators: &'static [char],
    /// Every metric's label and aliases, folded, for columns that name part of a metric; with
    /// each one's length in characters.
    names: Vec<(String, usize, usize)>,
    /// Every character of those names, sorted: a text with another one stands in no name.
    name_chars: Vec<char>,
    /// Those names of three characters or more, to find any of them in a text at once.
    long_names: aho_corasick::AhoCorasick,
    /// The measure words, folded.
    measure_words: Vec<String>,
    /// Whether a metric's or group's name is all ASCII: else an ASCII text (a number) names
    /// no metric, however it is split or joined.
    ascii_keys: bool,
    /// Whether a metric's name holds an ASCII character: else an ASCII text names no part of one.
    ascii_in_names: bool,
    /// Header texts read and questions answered, kept per thread while the matcher lives.
    memo: Memo<HeaderText>,
}

/// A header text as the search reads it: cleaned, its part word, the metric it names alone.
type HeaderText = (Box<str>, Part, Option<usize>);

impl Matcher {
    /// Compiles the header words of a config.
    pub fn new(config: &Config) -> Matcher {
        let mut groups = HashMap::default();
        for g in &config.groups {
            for name in std::iter::once(&g.label).chain(&g.aliases) {
                groups.insert(fold(name), g.id.clone());
            }
        }
        let mut columns: HashMap<String, Vec<usize>> = HashMap::default();
        for (i, m) in config.metrics.iter().enumerate() {
            for name in std::iter::once(&m.label).chain(&m.aliases) {
                for key in [fold(name), fold(&format!("{name}{}", m.measure))] {
                    let e = columns.entry(key).or_default();
                    if !e.contains(&i) {
                        e.push(i);
                    }
                }
            }
        }
        let mut words: Vec<String> = config
            .matching
            .measure_words
            .iter()
            .map(|w| regex::escape(w))
            .collect();
        words.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let measure = Regex::new(&format!(
            r"^(.*?)\s*(?:[(\[【〔]\s*(?:{w})\s*[)\]】〕]|\s(?:{w}))\s*$",
            w = words.join("|")
        ))
        .expect("valid measure regex");
        let longest = |keys: &mut dyn Iterator<Item = &String>| keys.map(String::len).max();
        let measure_len = longest(&mut config.matching.measure_words.iter()).unwrap_or(0);
        let longest_name = longest(&mut groups.keys()).unwrap_or(0)
            + longest(&mut columns.keys()).unwrap_or(0)
            + 3 * (measure_len + 2 * '【'.len_utf8())
            + 2 * '›'.len_utf8();
        let ascii_keys = groups.keys().chain(columns.keys()).any(|k| k.is_ascii());
        let names: Vec<(String, usize, usize)> = config
            .metrics
            .iter()
            .enumerate()
            .flat_map(|(i, m)| {
                std::iter::once(&m.label).chain(&m.aliases).map(move |n| {
                    let f = fold(n);
                    let chars = f.chars().count();
                    (f, i, chars)
                })
            })
            .collect();
        let mut name_chars: Vec<char> = names.iter().flat_map(|(n, _, _)| n.chars()).collect();
        name_chars.sort_unstable();
        name_chars.dedup();
        let long_names = aho_corasick::AhoCorasick::new(
            names.iter().filter(|(_, _, c)| *c >= 3).map(|(n, _, _)| n),
        )
        .expect("names of a config are small enough for an automaton");
        Matcher {
            memo: Memo::default(),
            ascii_keys,
            ascii_in_names: config.metrics.iter().any(|m| {
                std::iter::once(&m.label)
                    .chain(&m.aliases)
                    .any(|n| fold(n).chars().any(|c| c.is_ascii()))
            }),
            longest_name,
            groups,
            columns,
            metric_groups: config.metrics.iter().map(|m| m.group.clone()).collect(),
            stations: config
                .matching
                .station_headers
                .iter()
                .map(|s| fold(s))
                .collect(),
            measure,
            measure_ascii: config.matching.measure_words.iter().any(|w| w.is_ascii()),
            separators: &['-', '·', '/', '|', '›', '>', '—', '_', '•', '・', '~', '\\'],
            names,
            name_chars,
            long_names,
            measure_words: config
                .matching
                .measure_words
                .iter()
                .map(|w| fold(w))
                .collect(),
        }
    }

    /// Header text without measure words, whitespace and width differences.
    pub(super) fn clean(&self, raw: &str) -> String {
        if raw.is_ascii() && !self.measure_ascii {
            return fold(raw).trim_matches(MARKS).to_string();
        }
        let s = fold_keep_spaces(raw);
        let s = match s.trim_matches(MARKS) {
            t if t.len() == s.len() => s,
            t => t.trim().to_string(),
        };
        // The measure pattern ends in a closing bracket or in a word after a space: a text
        // with neither (most cells) cannot match it, and is already folded (NFKC, no space).
        if !s.ends_with([')', ']', '】', '〕']) && !s.contains(char::is_whitespace) {
            return s;
        }
        let s = match self.measure.captures(&s) {
            Some(c) => c[1].to_string(),
            None => s,
        };
        fold(&s)
    }

    /// `f` of a header text cleaned, its part word split off (`split_part`) and the metric the
    /// rest names alone (`metric_of_clean`); a non-ASCII text is worked out once per matcher
    /// and thread (`memo`).
    pub(super) fn with_cleaned<R>(
        &self,
        raw: &str,
        f: impl FnOnce(&str, Part, Option<usize>) -> R,
    ) -> R {
        let work = |raw: &str| -> HeaderText {
            let cleaned = self.clean(raw);
            let (clean, part) = split_part(&cleaned);
            let metric = self.metric_of_clean(clean);
            (Box::<str>::from(clean), part, metric)
        };
        if raw.is_ascii() {
            // A number, most often: with no ASCII measure word or metric name, its cleaning is
            // its text without whitespace, and it names nothing.
            if !self.measure_ascii && !self.ascii_keys {
                if !raw.bytes().any(|b| (b as char).is_whitespace()) {
                    return f(raw, Part::Plain, None);
                }
                let clean: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
                return f(&clean, Part::Plain, None);
            }
            let (clean, part, metric) = work(raw);
            return f(&clean, part, metric);
        }
        self.memo.cleaned(
            raw,
            || work(raw),
            |(clean, part, metric)| f(clean, *part, *metric),
        )
    }

    #[cfg(test)]
    fn is_station(&self, raw: &str) -> bool {
        self.is_station_clean(&self.clean(raw))
    }

    pub(super) fn is_station_clean(&self, t: &str) -> bool {
        self.stations.iter().any(|s| s == t) || (t.contains('站') && t.ends_with("名称"))
    }

    /// Whether a group's label (or alias), cleaned.
    pub(super) fn is_group(&self, clean: &str) -> bool {
        (self.ascii_keys || !clean.is_ascii()) && self.groups.contains_key(clean)
    }

    /// The metric a header text that no metric matches names a part of: a text of two
    /// characters or more whose characters stand in that order in one of the metric's names
    /// ("走访选民", "接待选民" of 接待走访选民), or a text holding a name of three characters or
    /// more ("接待走访选民人数"). A column so named beside the metric's own may hold part of
    /// its figure: the caller refuses the return rather than read one column of two. Under a
    /// group's cell (`above`), only that group's metrics are looked at.
    pub fn partial(&self, clean: &str, above: &str) -> Option<usize> {
        let (t, _) = split_part(clean);
        if t.chars().count() < 2 || (t.is_ascii() && !self.ascii_in_names) {
            return None;
        }
        // Neither can hold for any name (a station's name, most texts): not looked at one by one.
        if !t.chars().all(|c| self.name_chars.binary_search(&c).is_ok())
            && !self.long_names.is_match(t)
        {
            return None;
        }
        self.memo
            .ask(Question::Partial, t, above, || self.partial_of(t, above))
    }

    /// `partial` of a text past its quick refusals, part word split off.
    fn partial_of(&self, t: &str, above: &str) -> Option<usize> {
        if self.metric_of_clean(t).is_some() {
            return None;
        }
        let group = self.groups.get(above);
        let in_group = |i: usize| group.is_none_or(|g| self.metric_groups[i].as_ref() == Some(g));
        let within = |n: &str| {
            let mut rest = n.chars();
            t.chars().all(|c| rest.any(|x| x == c))
        };
        self.names
            .iter()
            .filter(|&&(_, i, _)| in_group(i))
            .find(|(n, _, chars)| n != t && (within(n) || (*chars >= 3 && t.contains(n.as_str()))))
            .map(|&(_, i, _)| i)
    }

    /// Whether a cell's text is header vocabulary only, never a station's name or a figure:
    /// a metric, group or station-column name, a text column's header (序号, 备注 …), a measure
    /// word with or without brackets ("(人次)", "单位:人、人次"), a period part (本月, 累计), or a
    /// 栏次 row's letters (甲, 乙 …) and its label.
    pub fn is_header_word(&self, raw: &str) -> bool {
        let t = self.clean(raw);
        if t.is_empty() {
            return !raw.trim().is_empty();
        }
        let (rest, part) = split_part(&t);
        if rest.is_empty() {
            return part != Part::Plain;
        }
        let t = rest.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']' | '【' | '】'));
        self.metric_of_clean(t).is_some()
            || self.is_group(t)
            || self.is_station_clean(t)
            || TEXT_HEADERS.contains(&t)
            || t.chars().all(|c| STEMS.contains(c))
            || self.measures_only(t)
    }

    /// A text of measure words only, after an optional "单位" / "计量单位" label: "人次",
    /// "单位:人、人次、场".
    fn measures_only(&self, t: &str) -> bool {
        let t = ["计量单位", "单位"]
            .iter()
            .find_map(|l| t.strip_prefix(l))
            .map_or(t, |r| r.trim_start_matches([':', '：']));
        !t.is_empty()
            && t.split(['、', ',', '，', '/', ';', '；'])
                .all(|w| self.measure_words.iter().any(|m| m == w))
    }

    /// The metric a one-cell header names ("进站代表人数-全国", "活动方式(入户)", "入户").
    fn metric_of_cell(&self, raw: &str) -> Option<usize> {
        self.metric_of_clean(&self.clean(raw))
    }

    /// `metric_of_cell` of a text already cleaned.
    pub(super) fn metric_of_clean(&self, t: &str) -> Option<usize> {
        if t.is_empty() || (t.is_ascii() && !self.ascii_keys) {
            return None;
        }
        if let Some(m) = self.alone(t) {
            return Some(m);
        }
        if let Some((g, c)) = t.split_once(self.separators)
            && let Some(m) = self.path(g, c)
        {
            return Some(m);
        }
        if let Some(open) = t.find('(')
            && t.ends_with(')')
        {
            let (g, c) = (&t[..open], &t[open + 1..t.len() - 1]);
            if let Some(m) = self.path(g, c) {
                return Some(m);
            }
        }
        // "进站代表人数全国": a group name run into the column name.
        self.groups
            .keys()
            .filter(|g| t.starts_with(g.as_str()) && t.len() > g.len())
            .find_map(|g| self.path(g, &t[g.len()..]))
    }

    /// A metric named by group and column texts.
    fn path(&self, group: &str, col: &str) -> Option<usize> {
        self.path_clean(&self.clean(group), &self.clean(col))
    }

    /// `path` of texts already cleaned.
    fn path_clean(&self, group: &str, col: &str) -> Option<usize> {
        let gid = self.groups.get(group)?;
        let hits: Vec<usize> = self
            .columns
            .get(col)?
            .iter()
            .copied()
            .filter(|&i| self.metric_groups[i].as_deref() == Some(gid.as_str()))
            .collect();
        (hits.len() == 1).then(|| hits[0])
    }

    /// A metric named by a column text unique across groups.
    fn alone(&self, cleaned: &str) -> Option<usize> {
        match self.columns.get(cleaned).map(Vec::as_slice) {
            Some([one]) => Some(*one),
            _ => None,
        }
    }

    /// The metric of a column under a two-row header.
    #[cfg(test)]
    fn metric_of_pair(&self, top: &str, bottom: &str) -> Option<usize> {
        self.metric_of_pair_clean(&self.clean(top), &self.clean(bottom))
    }

    /// `metric_of_pair` of texts already cleaned.
    #[cfg(test)]
    fn metric_of_pair_clean(&self, tc: &str, bc: &str) -> Option<usize> {
        let (t, b) = (self.metric_of_clean(tc), self.metric_of_clean(bc));
        self.metric_of_pair_known(tc, t, bc, b)
    }

    /// `metric_of_pair_clean`, the metric of each text alone already known.
    pub(super) fn metric_of_pair_known(
        &self,
        tc: &str,
        top: Option<usize>,
        bc: &str,
        below: Option<usize>,
    ) -> Option<usize> {
        if bc.is_empty() || tc == bc {
            return top;
        }
        if tc.is_empty() {
            return below;
        }
        self.path_clean(tc, bc)
            .or_else(|| self.metric_of_joined(tc, bc))
            .or(below)
            .or(top)
    }

    /// The metric of a column name split over two rows ("接待走访" above "选民"). Texts longer
    /// together than any text that can name a metric (cleaning only shortens a cleaned text)
    /// are not joined and cleaned again: a ledger's or a note's long cells cost nothing.
    fn metric_of_joined(&self, tc: &str, bc: &str) -> Option<usize> {
        if tc.len() + bc.len() > self.longest_name
            || (tc.is_ascii() && bc.is_ascii() && !self.ascii_keys)
        {
            return None;
        }
        self.memo.ask(Question::Joined, tc, bc, || {
            self.metric_of_cell(&format!("{tc}{bc}"))
        })
    }
}

#[cfg(test)]
mod tests;
