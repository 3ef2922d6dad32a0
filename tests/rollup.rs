//! `liaison rollup`: 长沙县 (sample returns) and 荷塘区 (openpyxl and xlwt fixtures) published,
//! exported and rolled up: county rows, tier columns, 报送情况 and the bulletin's paragraphs read
//! back exact; the same bundles give the same bytes; a month missing a county, or holding a
//! preliminary or damaged bundle, is refused or marked; a province rolling up its cities'
//! roll-ups gets the same station totals.

use crate::common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::counties;
use liaison::app::rollup::{RolledUp, rollup_month};
use liaison::archive::{Archive, Options, Outcome};
use liaison::config::Config;
use liaison::core::text::Period;
use polars::prelude::*;

/// The four county bundles (长沙县 and 荷塘区, May and June), made once per test run.
fn bundles() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("rollup-bundles");
        let _ = std::fs::remove_dir_all(&dir);
        for (county, name) in [
            (counties::changsha(), "长沙县"),
            (counties::hetang(), "荷塘区"),
        ] {
            let out = dir.join(format!("out-{name}"));
            for p in ["2022-05", "2022-06"] {
                counties::publish(&out, &county, p, &Options::default());
                let to = dir.join(p).join(format!("{name}-{p}.zip"));
                counties::export(&out, &county, p, &to);
            }
        }
        dir
    })
}

fn period(p: &str) -> Period {
    Period::parse_canonical(p).unwrap()
}

fn roll(out: &Path, dir: &Path, p: &str, config: &Config, text: &str, opts: &Options) -> RolledUp {
    let archive = Archive::open(out, &liaison::datasets::CATALOG).unwrap();
    rollup_month(
        &archive,
        dir,
        period(p),
        config,
        ("rollup.toml", text),
        opts,
    )
    .unwrap()
}

/// Options whose receipt clock is fixed: the receipt times are in the publication, so two
/// runs compared byte for byte must not straddle a minute (a slow machine did).
fn fixed_clock() -> Options {
    Options {
        clock: liaison::receipts::Clock::Fixed("2022-06-03T09:00:00+08:00".into()),
        ..Options::default()
    }
}

fn partial() -> Options {
    Options {
        allow_partial: true,
        force: false,
        ..Options::default()
    }
}

/// Every non-empty row of a sheet, cells as text ("" for empty, numbers without ".0").
fn sheet(book: &Path, name: &str) -> Vec<Vec<String>> {
    let mut wb: Xlsx<_> = open_workbook(book).unwrap();
    let range = wb.worksheet_range(name).unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
        })
        .filter(|r| r.iter().any(|c| !c.is_empty()))
        .collect()
}

fn row<'a>(rows: &'a [Vec<String>], first: &str) -> &'a [String] {
    rows.iter()
        .find(|r| r.iter().any(|c| c == first))
        .unwrap_or_else(|| panic!("no row {first}: {rows:?}"))
}

fn workbook(publication: &Path) -> PathBuf {
    std::fs::read_dir(publication)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .unwrap()
}

fn history(out: &Path, p: &str) -> DataFrame {
    let f = std::fs::File::open(out.join(format!("history/period={p}/part-0.parquet"))).unwrap();
    ParquetReader::new(f).finish().unwrap()
}

fn int_sum(df: &DataFrame, c: &str) -> i64 {
    df.column(c)
        .unwrap()
        .as_materialized_series()
        .sum::<i64>()
        .unwrap()
}

fn expected(p: &str) -> serde_json::Value {
    let path = common::root().join(format!("tests/fixtures/rollup/hetang-{p}.expected.json"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn two_counties_roll_up_by_tier_with_their_own_paragraphs() {
    let work = tempfile::tempdir().unwrap();
    let out = work.path().join("out");
    let (config, text) = (counties::province(), counties::province_text());
    let may = roll(
        &out,
        &bundles().join("2022-05"),
        "2022-05",
        &config,
        &text,
        &fixed_clock(),
    );
    assert!(
        matches!(
            may.outcome,
            Outcome::Published {
                preliminary: false,
                ..
            }
        ),
        "{:?} {:#?}",
        may.outcome,
        may.report.diagnostics
    );
    let ht = expected("2022-05");
    let t = |k: &str| ht["totals"][k].as_u64().unwrap().to_string();
    let publication = out.join("2022-05");
    let book = workbook(&publication);
    assert!(book.ends_with("湖南省2022年5月代表进站活动汇总表.xlsx"));
    // 分县市区: one row per county, in config order, with the total.
    let units = sheet(&book, "分县市区");
    assert_eq!(
        row(&units, "长沙县")[1..9],
        [
            "长沙县",
            "已计入",
            "125",
            "1160",
            "7237",
            "122",
            "563",
            "123"
        ]
    );
    assert_eq!(
        row(&units, "荷塘区")[1..9],
        [
            "荷塘区".to_string(),
            "已计入".into(),
            t("stations"),
            t("deputies_total"),
            t("voters_received"),
            t("publicity_sessions"),
            t("suggestions_collected"),
            t("problems_solved"),
        ]
    );
    let total = row(&units, "合计");
    assert_eq!(
        total[3],
        (125 + ht["totals"]["stations"].as_u64().unwrap()).to_string(),
        "{total:?}"
    );
    assert_eq!(
        total[4],
        (1160 + ht["totals"]["deputies_total"].as_u64().unwrap()).to_string()
    );
    // 代表层级 by tier: 荷塘区's 区 beside 长沙县's 县; it has no 全国 level: "—", never 0.
    let levels = sheet(&book, "代表层级");
    assert_eq!(
        row(&levels, "全国")[..6],
        ["", "全国", "省", "市", "县（市、区）", "乡镇"]
    );
    assert_eq!(
        row(&levels, "长沙县")[..7],
        ["长沙县", "3", "14", "58", "305", "780", "1160"]
    );
    assert_eq!(
        row(&levels, "荷塘区")[..7],
        [
            "荷塘区".to_string(),
            "—".into(),
            t("deputies_provincial"),
            t("deputies_municipal"),
            t("deputies_district"),
            t("deputies_township"),
            t("deputies_total"),
        ]
    );
    // 报送情况: each bundle with its sha256 and its publication's.
    let files = sheet(&book, "报送情况");
    let cs_bundle = std::fs::read(bundles().join("2022-05/长沙县-2022-05.zip")).unwrap();
    let sha: String = sha2_hex(&cs_bundle);
    let line = row(&files, "长沙县-2022-05.zip");
    assert_eq!(line[2], sha[..12]);
    assert_eq!(line[3], "通过");
    assert_eq!(line[7], "正式");
    // 意见建议办理 by county: 荷塘区 sent no ledger.
    let ledger = sheet(&book, "意见建议办理");
    assert_eq!(row(&ledger, "荷塘区")[1], "未报送台账");
    assert_eq!(row(&ledger, "长沙县")[2], "565");
    // The bulletin: the province's headline, then a paragraph per county in its own words.
    let md = std::fs::read_to_string(publication.join("简报.md")).unwrap();
    let cs_line = "长沙县：5月份，全县共有1160名各级人大代表进站开展活动，共接待和走访选民7237人次，开展政策、法规宣讲122场次，收集反馈意见建议563条，帮助群众解决困难和问题123个。";
    assert!(md.contains(cs_line), "{md}");
    let ht_line = format!(
        "荷塘区：5月份，全区共有{}名各级人大代表进站开展活动，共接待和走访选民{}人次，开展政策、法规宣讲{}场次，收集反馈意见建议{}条，帮助群众解决困难和问题{}个。",
        t("deputies_total"),
        t("voters_received"),
        t("publicity_sessions"),
        t("suggestions_collected"),
        t("problems_solved")
    );
    assert!(md.contains(&ht_line), "{md}");
    assert!(md.contains(&format!(
        "5月份，全省共有{}名各级人大代表进站开展活动",
        1160 + ht["totals"]["deputies_total"].as_u64().unwrap()
    )));
    // As a city's bulletin says it (issue 26: "荷塘区共1个县市区没有意见建议办理台账").
    assert!(
        md.contains("\n\n荷塘区未报送意见建议办理台账，未计入以上数字。\n"),
        "{md}"
    );
    assert!(!md.contains("共1个"), "{md}");
    // The chart files are named by the roll-up's units (各县市区…), never 镇街.
    let mut charts: Vec<String> = std::fs::read_dir(publication.join("charts"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    charts.sort();
    for name in liaison::report::charts::file_names(&config) {
        assert!(
            charts.contains(&format!("{name}.png")),
            "{name}: {charts:?}"
        );
        assert!(
            charts.contains(&format!("{name}.svg")),
            "{name}: {charts:?}"
        );
    }
    assert!(
        charts.contains(&"各县市区接待走访选民.png".to_string()),
        "{charts:?}"
    );
    assert!(
        charts.contains(&"各县市区意见建议办结率.svg".to_string()),
        "{charts:?}"
    );
    assert!(charts.iter().all(|c| !c.contains("镇街")), "{charts:?}");
    // The history: every station row of both counties, with the county's id, by tier.
    let h = history(&out, "2022-05");
    let names: Vec<&str> = h
        .get_column_names()
        .into_iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        names[..5],
        ["county_id", "county", "unit_id", "unit", "station"]
    );
    assert!(names.contains(&"deputies_county") && names.contains(&"county_manifest_sha256"));
    assert_eq!(
        h.height() as u64,
        125 + ht["totals"]["stations"].as_u64().unwrap()
    );
    assert_eq!(
        int_sum(&h, "deputies_county") as u64,
        305 + ht["totals"]["deputies_district"].as_u64().unwrap()
    );
    assert_eq!(
        int_sum(&h, "deputies_total") as u64,
        1160 + ht["totals"]["deputies_total"].as_u64().unwrap()
    );
    // The copies of the bundles are kept in the publication.
    assert!(publication.join("returns/荷塘区-2022-05.zip").is_file());

    // June over May: 上月 and 环比 from the roll-up's own history.
    let june = roll(
        &out,
        &bundles().join("2022-06"),
        "2022-06",
        &config,
        &text,
        &fixed_clock(),
    );
    assert!(matches!(june.outcome, Outcome::Published { .. }));
    let jt = expected("2022-06");
    let summary = sheet(&workbook(&out.join("2022-06")), "全省汇总");
    let voters = row(&summary, "接待走访选民");
    let june_all = int_sum(&history(&out, "2022-06"), "voters_received") as u64;
    let cs_june = june_all - jt["totals"]["voters_received"].as_u64().unwrap();
    assert!(cs_june > 0);
    assert_eq!(voters[2], june_all.to_string());
    assert_eq!(
        row(
            &sheet(&workbook(&out.join("2022-06")), "分县市区"),
            "长沙县"
        )[5],
        cs_june.to_string()
    );
    assert_eq!(
        voters[3],
        (7237 + ht["totals"]["voters_received"].as_u64().unwrap()).to_string()
    );

    // The same bundles give the same bytes (a second archive, the same folder).
    let again = work.path().join("again");
    roll(
        &again,
        &bundles().join("2022-05"),
        "2022-05",
        &config,
        &text,
        &fixed_clock(),
    );
    assert_eq!(
        common::hash_tree(&publication),
        common::hash_tree(&again.join("2022-05"))
    );
    assert_eq!(
        std::fs::read(out.join("history/period=2022-05/part-0.parquet")).unwrap(),
        std::fs::read(again.join("history/period=2022-05/part-0.parquet")).unwrap()
    );
}

fn sha2_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn a_missing_damaged_or_preliminary_county_is_never_a_final_figure() {
    let work = tempfile::tempdir().unwrap();
    let (config, text) = (counties::province(), counties::province_text());
    // Only 长沙县 sent: refused without --allow-partial, nothing written.
    let only = work.path().join("only");
    std::fs::create_dir(&only).unwrap();
    std::fs::copy(
        bundles().join("2022-05/长沙县-2022-05.zip"),
        only.join("长沙县.zip"),
    )
    .unwrap();
    let out = work.path().join("out");
    let r = roll(&out, &only, "2022-05", &config, &text, &Options::default());
    assert!(
        matches!(r.outcome, Outcome::RefusedErrors),
        "{:?}",
        r.outcome
    );
    assert_eq!(r.report.missing_units, ["hetang"]);
    assert!(!out.join("2022-05").exists());
    // With --allow-partial: 初步, and the bulletin says who did not report.
    let r = roll(&out, &only, "2022-05", &config, &text, &partial());
    assert!(matches!(
        r.outcome,
        Outcome::Published {
            preliminary: true,
            ..
        }
    ));
    let md = std::fs::read_to_string(out.join("2022-05/简报.md")).unwrap();
    assert!(md.contains("荷塘区：本月未上报，未计入以上数字。"), "{md}");
    assert!(md.contains("（初步数据"), "{md}");
    let title = &sheet(&workbook(&out.join("2022-05")), "分县市区")[0][0];
    assert!(title.ends_with("（初步）"), "{title}");

    // 荷塘区's bundle damaged: refused whole; none of its rows in the history.
    let damaged = work.path().join("damaged");
    std::fs::create_dir(&damaged).unwrap();
    std::fs::copy(
        bundles().join("2022-05/长沙县-2022-05.zip"),
        damaged.join("长沙县.zip"),
    )
    .unwrap();
    let mut bytes = std::fs::read(bundles().join("2022-05/荷塘区-2022-05.zip")).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x55;
    std::fs::write(damaged.join("荷塘区.zip"), bytes).unwrap();
    let out2 = work.path().join("out2");
    let r = roll(&out2, &damaged, "2022-05", &config, &text, &partial());
    assert!(matches!(
        r.outcome,
        Outcome::Published {
            preliminary: true,
            ..
        }
    ));
    let refusal = r
        .report
        .diagnostics
        .iter()
        .find(|d| d.file.as_deref().is_some_and(|f| f.ends_with("荷塘区.zip")))
        .unwrap();
    assert!(refusal.is_error(), "{refusal:?}");
    let h = history(&out2, "2022-05");
    assert_eq!(h.height(), 125);
    let md = std::fs::read_to_string(out2.join("2022-05/简报.md")).unwrap();
    assert!(md.contains("荷塘区：上报的数据包未通过核对"), "{md}");

    // A county whose own month was preliminary: counted, marked, the roll-up 初步.
    let prelim_dir = work.path().join("prelim");
    std::fs::create_dir(&prelim_dir).unwrap();
    let returns = work.path().join("returns");
    std::fs::create_dir(&returns).unwrap();
    for e in std::fs::read_dir(common::root().join("tests/fixtures/rollup/hetang-2022-05")).unwrap()
    {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_owned();
        if name.to_string_lossy().starts_with("仙庾镇") {
            std::fs::write(returns.join(&name), b"PK\x03\x04 damaged").unwrap();
        } else {
            std::fs::copy(&p, returns.join(&name)).unwrap();
        }
    }
    let ht = counties::hetang();
    let ht_out = work.path().join("ht-out");
    let archive = Archive::open(&ht_out, &liaison::datasets::CATALOG).unwrap();
    liaison::app::pipeline::publish_month(
        &archive,
        &returns,
        period("2022-05"),
        &ht.config,
        (&ht.origin, &ht.text),
        &partial(),
    )
    .unwrap();
    drop(archive);
    counties::export(&ht_out, &ht, "2022-05", &prelim_dir.join("荷塘区.zip"));
    std::fs::copy(
        bundles().join("2022-05/长沙县-2022-05.zip"),
        prelim_dir.join("长沙县.zip"),
    )
    .unwrap();
    let out3 = work.path().join("out3");
    let r = roll(
        &out3,
        &prelim_dir,
        "2022-05",
        &config,
        &text,
        &Options::default(),
    );
    assert!(
        matches!(r.outcome, Outcome::RefusedErrors),
        "{:?}",
        r.outcome
    );
    let r = roll(&out3, &prelim_dir, "2022-05", &config, &text, &partial());
    assert!(matches!(
        r.outcome,
        Outcome::Published {
            preliminary: true,
            ..
        }
    ));
    let md = std::fs::read_to_string(out3.join("2022-05/简报.md")).unwrap();
    assert!(md.contains("荷塘区（初步数据）：5月份，全区共有"), "{md}");
    let files = sheet(&workbook(&out3.join("2022-05")), "报送情况");
    assert_eq!(row(&files, "荷塘区.zip")[7], "初步");
    assert_eq!(history(&out3, "2022-05").height(), 125 + 19);
}

/// Station totals, by (county, town, station), of a roll-up's history.
fn station_totals(df: &DataFrame) -> BTreeMap<(String, String, String), (i64, i64, i64)> {
    let s = |c: &str| df.column(c).unwrap().str().unwrap().clone();
    let i = |c: &str| df.column(c).unwrap().i64().unwrap().clone();
    let (county, unit, station) = (s("county"), s("unit"), s("station"));
    let (dep, voters, county_tier) = (
        i("deputies_total"),
        i("voters_received"),
        i("deputies_county"),
    );
    (0..df.height())
        .map(|k| {
            (
                (
                    county.get(k).unwrap().to_string(),
                    unit.get(k).unwrap().to_string(),
                    station.get(k).unwrap().to_string(),
                ),
                (
                    dep.get(k).unwrap(),
                    voters.get(k).unwrap(),
                    county_tier.get(k).unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn a_province_rolling_up_its_cities_gets_the_same_station_totals() {
    let work = tempfile::tempdir().unwrap();
    let root = common::root();
    let load = |f: &str| {
        let p = root.join(f);
        (
            Config::load(&p).unwrap(),
            std::fs::read_to_string(&p).unwrap(),
        )
    };
    // Each city rolls up its county (the others not reported: 初步), and exports its roll-up.
    let cities = work.path().join("cities");
    for (file, county) in [
        ("config/changsha-city.toml", "长沙县"),
        ("config/zhuzhou-city.toml", "荷塘区"),
    ] {
        let (config, text) = load(file);
        let dir = work.path().join(format!("in-{county}"));
        std::fs::create_dir(&dir).unwrap();
        std::fs::copy(
            bundles().join(format!("2022-05/{county}-2022-05.zip")),
            dir.join(format!("{county}.zip")),
        )
        .unwrap();
        let out = work.path().join(format!("city-{county}"));
        let r = roll(&out, &dir, "2022-05", &config, &text, &partial());
        assert!(
            matches!(r.outcome, Outcome::Published { .. }),
            "{:?}",
            r.outcome
        );
        let archive = Archive::open(&out, &liaison::datasets::CATALOG).unwrap();
        let done = liaison::bundle::export(
            &archive,
            period("2022-05"),
            &config,
            ("rollup.toml", &text),
            Some(&cities.join(format!("{}.zip", config.region.name))),
        )
        .unwrap();
        assert!(done.preliminary);
    }
    let (hunan, text) = load("config/hunan.toml");
    let province = work.path().join("province");
    let r = roll(&province, &cities, "2022-05", &hunan, &text, &partial());
    assert!(
        matches!(r.outcome, Outcome::Published { .. }),
        "{:#?}",
        r.report.diagnostics
    );
    assert!(!r.report.has_errors(), "{:#?}", r.report.diagnostics);
    let via_cities = history(&province, "2022-05");
    let names: Vec<&str> = via_cities
        .get_column_names()
        .into_iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(
        names[..7],
        [
            "city_id",
            "city",
            "county_id",
            "county",
            "unit_id",
            "unit",
            "station"
        ]
    );
    // The same counties rolled up directly.
    let direct = work.path().join("direct");
    let (config, text2) = (counties::province(), counties::province_text());
    roll(
        &direct,
        &bundles().join("2022-05"),
        "2022-05",
        &config,
        &text2,
        &Options::default(),
    );
    let direct = history(&direct, "2022-05");
    assert_eq!(station_totals(&via_cities), station_totals(&direct));
    for c in [
        "deputies_total",
        "voters_received",
        "deputies_national",
        "method_help",
    ] {
        assert_eq!(
            via_cities
                .column(c)
                .unwrap()
                .as_materialized_series()
                .sum::<i64>()
                .ok(),
            direct
                .column(c)
                .unwrap()
                .as_materialized_series()
                .sum::<i64>()
                .ok(),
            "{c}"
        );
    }
    // The province's sheet compares its cities; the bulletin says each city in its words.
    let units = sheet(&workbook(&province.join("2022-05")), "分市州");
    assert_eq!(row(&units, "长沙市")[3], "125");
    let md = std::fs::read_to_string(province.join("2022-05/简报.md")).unwrap();
    assert!(
        md.contains("长沙市（初步数据）：5月份，全市共有1160名"),
        "{md}"
    );
}

#[test]
fn cli_rollup_needs_a_rollup_config_and_says_what_it_did() {
    let r = common::root();
    let work = tempfile::tempdir().unwrap();
    let dir = bundles().join("2022-05");
    let (code, _, err) = common::run(
        &r,
        &[
            "--output",
            work.path().join("o").to_str().unwrap(),
            "rollup",
            dir.to_str().unwrap(),
        ],
        bundles(),
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("汇总配置") && err.contains("--config"),
        "{err}"
    );
    let cfg = r.join("tests/fixtures/rollup/province-two-counties.toml");
    let out = work.path().join("out");
    let args = [
        "--config",
        cfg.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
        "rollup",
        dir.to_str().unwrap(),
    ];
    let (code, stdout, err) = common::run(&r, &args, bundles());
    assert_eq!(code, 0, "{stdout}{err}");
    assert!(
        stdout.contains("数据包核对") && stdout.contains("已汇总发布 2022-05"),
        "{stdout}"
    );
    let (code, stdout, _) = common::run(&r, &args, bundles());
    assert_eq!(code, 1);
    assert!(stdout.contains("已经汇总发布"), "{stdout}");
    // The roll-up's archive verifies like any other.
    let (code, stdout, _) = common::run(
        &r,
        &[
            "--config",
            cfg.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "archive",
            "verify",
        ],
        bundles(),
    );
    assert_eq!(code, 0, "{stdout}");
}
