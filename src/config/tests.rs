//! Tests of the configuration as read: the embedded default, a printed config read back, ids refused.

use super::*;

#[test]
fn embedded_default_is_changsha() {
    let c = Config::embedded();
    assert_eq!(c.units.len(), 18);
    assert_eq!(c.levels.len(), 5);
    assert_eq!(c.metrics.len(), 14);
    // Only what is known: 125 stations in all, no invented register.
    assert_eq!(c.region.stations, Some(125));
    assert!(!c.has_register());
}

#[test]
fn printed_config_reads_back() {
    let c = Config::embedded();
    let again = Config::from_toml(&c.to_toml(), "x").unwrap();
    assert_eq!(again.units.len(), c.units.len());
}

#[test]
fn duplicate_unit_id_is_refused() {
    let text = DEFAULT_TOML.replace("id = \"xianglong\"", "id = \"xingsha\"");
    let err = Config::from_toml(&text, "bad.toml")
        .unwrap_err()
        .to_string();
    assert!(err.contains("xingsha") && err.contains("重复"), "{err}");
}
