//! The briefing draft of the sample months: the seed's sentence to the character (May), the
//! month-on-month paragraph (June), and the wording from the config (荷塘区 says 全区).

mod common;

use liaison::archive::{Options, publish};
use liaison::check::check;
use liaison::config::Config;
use liaison::ingest::ingest_dir;
use liaison::text::Period;

fn publish_month(out: &std::path::Path, month: &str, config: &Config) -> String {
    let dir = common::root().join("input").join(month);
    let period = Period::parse_canonical(month).unwrap();
    let report = check(ingest_dir(&dir, config).unwrap(), period, config);
    let writers = liaison::report::writers(config);
    let writers: Vec<&liaison::archive::Writer> = writers.iter().map(|w| w.as_ref()).collect();
    publish(
        &report,
        config,
        ("x", "x"),
        out,
        &Options::default(),
        &writers,
    )
    .unwrap();
    std::fs::read_to_string(out.join(month).join("简报.md")).unwrap()
}

#[test]
fn may_and_june_briefings() {
    let out = tempfile::tempdir().unwrap();
    let config = Config::embedded();
    let may = publish_month(out.path(), "2022-05", &config);
    assert!(may.contains(
        "5月份，全县共有1160名各级人大代表进站开展活动，共接待和走访选民7237人次，开展政策、法规宣讲122场次，收集反馈意见建议563条，帮助群众解决困难和问题123个。"
    ));
    insta::assert_snapshot!("briefing_2022_05", may);
    // The .docx carries the same text.
    let docx = std::fs::File::open(out.path().join("2022-05/简报.docx")).unwrap();
    let mut zip = zip::ZipArchive::new(docx).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    let doc = roxmltree::Document::parse(&xml).unwrap();
    let text: String = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "t")
        .filter_map(|n| n.text())
        .collect();
    assert!(
        text.contains("5月份，全县共有1160名各级人大代表进站开展活动"),
        "{text}"
    );
    assert!(xml.contains("仿宋_GB2312"), "East Asian font set");
    let again = tempfile::tempdir().unwrap();
    publish_month(again.path(), "2022-05", &config);
    assert_eq!(
        std::fs::read(out.path().join("2022-05/简报.docx")).unwrap(),
        std::fs::read(again.path().join("2022-05/简报.docx")).unwrap(),
        "the .docx is reproducible"
    );
    let june = publish_month(out.path(), "2022-06", &config);
    assert!(june.contains("与上月相比"));
    insta::assert_snapshot!("briefing_2022_06", june);
}

#[test]
fn wording_comes_from_the_config() {
    let mut config = Config::embedded();
    config.region.scope = "全区".into();
    let out = tempfile::tempdir().unwrap();
    let md = publish_month(out.path(), "2022-05", &config);
    assert!(md.contains("5月份，全区共有1160名"), "{md}");
}
