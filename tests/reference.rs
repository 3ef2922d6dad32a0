//! Reference data (station register, roster) and folder hygiene (symlinks never followed out).

mod common;

use liaison::check::check;
use liaison::config::Config;
use liaison::ingest::ingest_dir;
use liaison::text::Period;

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
    let r = check(
        ingest_dir(dir, config).unwrap(),
        Period::new(2022, 5).unwrap(),
        config,
    );
    let c = r
        .diagnostics
        .iter()
        .filter(|d| d.code.as_str() != "missing_return")
        .map(|d| (d.code.as_str(), d.cell.clone()))
        .collect();
    (c, r.notes)
}

#[test]
fn register_finds_unknown_and_missing_stations() {
    let dir = beishan_folder();
    let mut config = Config::embedded();
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
    // The sample register matches: no station warnings at all.
    let (c, _) = codes(&Config::embedded(), dir.path());
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
    let r = check(
        ingest_dir(dir.path(), &config).unwrap(),
        Period::new(2022, 5).unwrap(),
        &config,
    );
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
