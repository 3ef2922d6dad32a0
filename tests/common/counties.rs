//! The two counties of the seed bulletin as the roll-up tests use them: 长沙县 (the embedded
//! config, the sample returns of `input/`) and 荷塘区 (`config/hetang.toml`, the fixture returns
//! of `tests/fixtures/rollup/hetang-2022-05`, openpyxl and xlwt), published and exported.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use liaison::archive::{Archive, Options, Outcome};
use liaison::bundle::{self, Exported};
use liaison::config::{Config, DEFAULT_TOML};
use liaison::core::text::Period;

/// A county's config, its text and where it came from (as the manifest records it).
pub struct County {
    /// The config.
    pub config: Config,
    /// Its text.
    pub text: String,
    /// Where it came from.
    pub origin: String,
    /// Its returns of a month: `input/<P>` or the fixture folder.
    pub returns: fn(&str) -> PathBuf,
}

/// 长沙县: the embedded config and the sample returns.
pub fn changsha() -> County {
    County {
        config: Config::embedded(),
        text: DEFAULT_TOML.to_string(),
        origin: "(内置长沙县配置)".into(),
        returns: |p| super::root().join("input").join(p),
    }
}

/// 荷塘区: config/hetang.toml and the fixture returns.
pub fn hetang() -> County {
    let path = super::root().join("config/hetang.toml");
    County {
        config: Config::load(&path).unwrap(),
        text: std::fs::read_to_string(&path).unwrap(),
        origin: "config/hetang.toml".into(),
        returns: |p| {
            super::root()
                .join("tests/fixtures/rollup")
                .join(format!("hetang-{p}"))
        },
    }
}

/// The month `period` of `county` published into `out` (every report file).
pub fn publish(out: &Path, county: &County, period: &str, opts: &Options) -> Outcome {
    let archive = Archive::open(out, &liaison::datasets::CATALOG).unwrap();
    liaison::app::pipeline::publish_month(
        &archive,
        &(county.returns)(period),
        Period::parse_canonical(period).unwrap(),
        &county.config,
        (&county.origin, &county.text),
        opts,
    )
    .unwrap()
    .outcome
}

/// The bundle of the published `period` of `out`, written to `to`.
pub fn export(out: &Path, county: &County, period: &str, to: &Path) -> Exported {
    let archive = Archive::open(out, &liaison::datasets::CATALOG).unwrap();
    bundle::export(
        &archive,
        Period::parse_canonical(period).unwrap(),
        &county.config,
        (&county.origin, &county.text),
        Some(to),
    )
    .unwrap()
}

/// `county`'s `period` published in a fresh folder under `work` and exported to `to`. The
/// receipt log's clock is fixed: its times are published (首次收到), and the same month
/// published twice must give the same bytes however slow the machine.
pub fn month_bundle(work: &Path, county: &County, period: &str, to: &Path) -> Exported {
    let out = work.join(format!("out-{}-{period}", county.config.region.name));
    let opts = Options {
        clock: liaison::receipts::Clock::Fixed("2022-06-03T09:00:00+08:00".into()),
        ..Options::default()
    };
    let done = publish(&out, county, period, &opts);
    assert!(
        matches!(done, Outcome::Published { .. }),
        "{period}: {done:?}"
    );
    export(&out, county, period, to)
}

/// The test roll-up config: the seed's province compiling 长沙县 and 荷塘区 directly.
pub fn province_text() -> String {
    std::fs::read_to_string(super::root().join("tests/fixtures/rollup/province-two-counties.toml"))
        .unwrap()
}

/// [`province_text`] as a config.
pub fn province() -> Config {
    Config::from_toml(&province_text(), "province-two-counties.toml").unwrap()
}
