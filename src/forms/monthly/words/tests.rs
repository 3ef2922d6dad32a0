//! Tests of the header words: what a header text names, as every writer spells it.

use super::*;

fn m() -> (Matcher, Config) {
    let c = Config::embedded();
    (Matcher::new(&c), c)
}

#[test]
fn a_number_cleans_to_its_text_without_whitespace_and_names_nothing() {
    let (m, _) = m();
    for (raw, want) in [("12", "12"), (" 1 2\t", "12"), ("3.5", "3.5"), ("", "")] {
        let got = m.with_cleaned(raw, |c, p, i| (c.to_string(), p, i));
        assert_eq!(got, (want.to_string(), Part::Plain, None), "{raw:?}");
        // As the general cleaning gives it.
        let cleaned = m.clean(raw);
        let (clean, part) = split_part(&cleaned);
        assert_eq!(
            (clean, part, m.metric_of_clean(clean)),
            (want, Part::Plain, None)
        );
    }
}

#[test]
fn one_cell_spellings() {
    let (m, c) = m();
    let idx = |id| c.metric_index(id);
    for s in [
        "进站代表人数-全国",
        "进站代表人数·全国",
        "进站代表人数(全国)",
        "进站代表人数（全国）",
        "全国人大代表",
        "全国",
        "进站代表人数 - 全国",
    ] {
        assert_eq!(m.metric_of_cell(s), idx("deputies_national"), "{s}");
    }
    for s in ["活动方式/入户", "入户", "活动方式(入户)", "活动方式－入户"] {
        assert_eq!(m.metric_of_cell(s), idx("method_household"), "{s}");
    }
    for s in [
        "接待走访选民(人次)",
        "接待走访选民 人次",
        "接待走访\n选民（人次）",
        "接待走访选民人次",
        "ＡＢ接待走访选民",
    ] {
        let want = if s.starts_with('Ａ') {
            None
        } else {
            idx("voters_received")
        };
        assert_eq!(m.metric_of_cell(s), want, "{s}");
    }
}

#[test]
fn partial_names_and_header_words() {
    let (m, c) = m();
    let voters = c.metric_index("voters_received");
    for s in ["走访选民", "选民", "接待走访选民人数", "走访选民(本月)"] {
        assert_eq!(m.partial(&m.clean(s), ""), voters, "{s}");
    }
    // Matched texts and unrelated ones are not parts of a metric.
    for s in [
        "接待选民",
        "接待走访选民",
        "进站代表人数",
        "序号",
        "备注",
        "小计",
        "合计",
        "镇村干部",
    ] {
        assert_eq!(m.partial(&m.clean(s), ""), None, "{s}");
    }
    // Under a group, only the group's metrics: an unknown method is no part of the voters.
    assert_eq!(m.partial("走访", "活动方式"), None);
    assert_eq!(m.partial("走访", ""), voters);
    for s in [
        "(人)",
        "（人次）",
        "人次",
        "单位:人、人次",
        "甲",
        "乙",
        "栏次",
        "本月",
        "本年累计",
        "接待走访选民",
        "进站代表人数(人)",
        "工作站名称",
        "序号",
        "全国",
    ] {
        assert!(m.is_header_word(s), "{s}");
    }
    for s in [
        "白沙村工作站",
        "12",
        "乙村",
        "合计",
        "一、城区片",
        "注:本表",
    ] {
        assert!(!m.is_header_word(s), "{s}");
    }
}

#[test]
fn two_row_pairs() {
    let (m, c) = m();
    assert_eq!(
        m.metric_of_pair("进站代表人数(人)", "县"),
        c.metric_index("deputies_county")
    );
    assert_eq!(
        m.metric_of_pair("活动方式（次）", "述职"),
        c.metric_index("method_report")
    );
    assert_eq!(
        m.metric_of_pair("帮助解决问题", "(个)"),
        c.metric_index("problems_solved")
    );
    assert_eq!(
        m.metric_of_pair("帮助解决问题(个)", ""),
        c.metric_index("problems_solved")
    );
    assert!(m.is_station("工作站\n名称"));
}
