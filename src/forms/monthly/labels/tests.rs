//! Tests of the label cells: the unit and the month found beside their labels, in titles and names.

use super::*;

#[test]
fn label_values() {
    assert_eq!(
        after_label("填报单位:星沙街道", "填报单位").as_deref(),
        Some("星沙街道")
    );
    assert_eq!(
        after_label("填报单位：星沙街道 填报人：张三", "填报单位").as_deref(),
        Some("星沙街道")
    );
    assert_eq!(
        after_label("填报单位(盖章):星沙街道", "填报单位").as_deref(),
        Some("星沙街道")
    );
    assert_eq!(after_label("填报单位", "填报单位").as_deref(), Some(""));
    assert_eq!(after_label("填报单位", "单位"), None);
    assert_eq!(after_label("填报日期：2022-06-01", "日期"), None);
    assert_eq!(
        after_label("报送月份: 2022年5月", "报送月份").as_deref(),
        Some("2022年5月")
    );
}

#[test]
fn sheets_named_by_their_month() {
    for (s, m) in [
        ("5月", 5),
        ("05月", 5),
        ("5月份", 5),
        ("五月", 5),
        ("十二月", 12),
        ("１２月", 12),
    ] {
        assert_eq!(bare_month(s), Some(m), "{s}");
    }
    for s in ["13月", "2022年5月", "5", "月", "进站活动月报"] {
        assert_eq!(bare_month(s), None, "{s}");
    }
    assert_eq!(year_in("星沙街道2022年进站活动月报.xlsx"), Some(2022));
    assert_eq!(year_in("0731-84012345"), None);
}

#[test]
fn units_in_names() {
    let c = Config::embedded();
    assert_eq!(
        unit_in_text("金井镇 进站活动 2022.5.xlsx", &c).map(|u| u.id.as_str()),
        Some("jinjing")
    );
    assert_eq!(
        unit_in_text("青山铺镇5月", &c).map(|u| u.id.as_str()),
        Some("qingshanpu")
    );
    assert_eq!(
        nearest_unit("星沙乡", &c).map(|u| u.id.as_str()),
        Some("xingsha")
    );
}
