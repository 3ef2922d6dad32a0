//! Reference data (station register, roster) and folder hygiene (symlinks never followed out).

use crate::common;

use liaison::check::check;
use liaison::config::Config;
use liaison::core::text::Period;
use liaison::forms::monthly::ingest_dir;

fn beishan_folder() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("input/2022-05/北山镇月报.xlsx"),
        d.path().join("北山镇月报.xlsx"),
    )
    .unwrap();
    d
}

fn codes(config: &Config, dir: &std::path::Path) -> (Vec<(String, Option<String>)>, Vec<String>) {
    let r_checked = check(
        ingest_dir(dir, config).unwrap(),
        Period::new(2022, 5).unwrap(),
        config,
    );
    let r = &r_checked.report;
    let c = r
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() != "missing_return")
        .map(|d| (d.code.as_str(), d.cell.clone()))
        .collect();
    (c, r.notes.clone())
}

/// The embedded config with a register for 北山镇: the stations of its sample return (the
/// embedded config carries no register of its own).
fn with_beishan_register() -> Config {
    let mut config = Config::embedded();
    assert!(
        !config.has_register(),
        "the embedded config invents no register"
    );
    config
        .units
        .iter_mut()
        .find(|u| u.id == "beishan")
        .unwrap()
        .stations = [
        "飞跃社区工作站",
        "望仙村工作站",
        "安居村工作站",
        "松雅村工作站",
        "龙泉村工作站",
    ]
    .map(String::from)
    .to_vec();
    config
}

#[test]
fn register_finds_unknown_and_missing_stations() {
    let dir = beishan_folder();
    let mut config = with_beishan_register();
    let u = config.units.iter_mut().find(|u| u.id == "beishan").unwrap();
    let renamed = u.stations[0].clone();
    u.stations[0] = "改名村工作站".into();
    let (c, notes) = codes(&config, dir.path());
    assert!(
        c.iter()
            .any(|(code, cell)| code == "unknown_station" && cell.is_some()),
        "{c:?} ({renamed})"
    );
    assert!(c.iter().any(|(code, _)| code == "missing_station"), "{c:?}");
    assert!(
        notes.iter().any(|n| n.contains("exceeds_roster")),
        "roster checks said to be skipped"
    );
    // The register matches: no station warnings at all.
    let (c, _) = codes(&with_beishan_register(), dir.path());
    assert!(
        !c.iter().any(|(code, _)| code.ends_with("_station")),
        "{c:?}"
    );
}

#[test]
fn roster_and_skipped_checks() {
    let dir = beishan_folder();
    let mut config = Config::embedded();
    config
        .units
        .iter_mut()
        .find(|u| u.id == "beishan")
        .unwrap()
        .roster
        .insert("county".into(), 3);
    let (c, _) = codes(&config, dir.path());
    assert!(c.iter().any(|(code, _)| code == "exceeds_roster"), "{c:?}");
    let mut config = with_beishan_register();
    for u in &mut config.units {
        u.stations.clear();
        u.roster.clear();
    }
    let (c, notes) = codes(&config, dir.path());
    assert!(
        !c.iter()
            .any(|(code, _)| code.ends_with("_station") || code == "exceeds_roster")
    );
    assert_eq!(notes.len(), 2, "said once each: {notes:?}");
}

#[test]
fn symlinks_out_of_the_folder_are_not_followed() {
    let dir = beishan_folder();
    let outside = tempfile::tempdir().unwrap();
    std::fs::copy(
        common::root().join("input/2022-05/安沙镇2022年5月.xlsx"),
        outside.path().join("安沙镇.xlsx"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("安沙镇.xlsx"),
        dir.path().join("安沙镇.xlsx"),
    )
    .unwrap();
    std::os::unix::fs::symlink(
        dir.path().join("北山镇月报.xlsx"),
        dir.path().join("北山镇副本.xlsx"),
    )
    .unwrap();
    let config = Config::embedded();
    let r_checked = check(
        ingest_dir(dir.path(), &config).unwrap(),
        Period::new(2022, 5).unwrap(),
        &config,
    );
    let r = &r_checked.report;
    let status = |n: &str| r.files.iter().find(|f| f.path.ends_with(n)).unwrap().status;
    assert_eq!(status("安沙镇.xlsx"), liaison::check::Status::Ignored);
    assert_eq!(r.files.len(), 3);
    // A link inside the folder is read (and here makes a duplicate, as two copies would).
    assert!(
        r.diagnostics
            .iter()
            .any(|d| d.code.as_str() == "duplicate_return")
    );
}

/// `config learn` writes the config in force with each unit's register learnt from May's
/// accepted returns (comments kept); checked with it, June raises no station warning, and the
/// file is never overwritten.
#[test]
fn config_learn_writes_the_registers_of_an_accepted_month() {
    let r = common::root();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("学得的配置.toml");
    let args = [
        "config",
        "learn",
        "input/2022-05",
        "--out",
        out.to_str().unwrap(),
    ];
    let (code, stdout, err) = common::run(&r, &args, &r.join("input"));
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.contains("18 个单位") && stdout.contains("共 125 个工作站"),
        "{stdout}"
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(
        text.contains("# 单位(镇、街道)"),
        "the config's comments are kept"
    );
    // Its opening says what it is, in Chinese: learnt, from which month, what to do next;
    // not the embedded default's own opening.
    let opening: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).collect();
    assert_eq!(opening.len(), 3, "{text}");
    assert!(
        opening[0].contains("长沙县") && opening[0].contains("工作站名册"),
        "{opening:?}"
    );
    assert!(
        opening[1].contains("config learn") && opening[1].contains("2022年5月"),
        "{opening:?}"
    );
    assert!(opening[2].contains("请核对"), "{opening:?}");
    assert!(
        !text.contains("内置的默认配置") && !text.contains("embedded"),
        "{opening:?}"
    );
    let learnt = Config::load(&out).unwrap();

    // Each unit's register is exactly the station names of its May return.
    let config = Config::embedded();
    let may_checked = check(
        ingest_dir(&r.join("input/2022-05"), &config).unwrap(),
        Period::new(2022, 5).unwrap(),
        &config,
    );
    for ret in &may_checked.counted {
        let unit = learnt.unit(ret.unit_id().unwrap()).unwrap();
        let names: Vec<&str> = ret.stations.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(unit.stations, names, "{}", unit.name);
    }
    let total: usize = learnt.units.iter().map(|u| u.stations.len()).sum();
    assert_eq!(total, 125);

    // June checked with it: the register is in force and every station is in it.
    let june_checked = check(
        ingest_dir(&r.join("input/2022-06"), &learnt).unwrap(),
        Period::new(2022, 6).unwrap(),
        &learnt,
    );
    let june = &june_checked.report;
    assert!(!june.notes.iter().any(|n| n.contains("工作站名册")));
    assert!(
        !june
            .diagnostics
            .iter()
            .any(|d| d.code.as_str().ends_with("_station")),
        "{:#?}",
        june.diagnostics
    );

    // Never overwrites.
    let (code, _, err) = common::run(&r, &args, &r.join("input"));
    assert_eq!(code, 2);
    assert!(err.contains("已经存在"), "{err}");
}
