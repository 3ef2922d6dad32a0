//! The month's cases: a 长沙县 month checked and published (beside a baseline build when one is
//! given) and the same files read by the reference scripts; the zip bomb refused.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use liaison::config::Config;
use liaison::core::text::Period;

use crate::measure::{self, Case};
use crate::{PERIOD, as_u64s, check_totals, data, liaison, python};

/// `BENCH_BASELINE=PATH`: another build of liaison (an earlier commit's, say), measured beside
/// this one on the month's check and report, run for run alternately so both meet the same
/// load. Its row's tool is `baseline <file name>`.
fn baseline() -> Option<PathBuf> {
    std::env::var_os("BENCH_BASELINE").map(PathBuf::from)
}

/// `case` measured `n` times with this build's liaison, and with the baseline's (if any),
/// alternately; `cmd` adds the arguments to the program it is given.
fn with_baseline(
    runner: &mut measure::Runner,
    case: &str,
    n: usize,
    scratch: &Path,
    mut cmd: impl FnMut(Command) -> Command,
) -> (Case, Option<Case>) {
    let Some(base) = baseline() else {
        let ours = Case::measure(runner, (case, "liaison"), n, scratch, || cmd(liaison()));
        return (ours, None);
    };
    let tool = format!("baseline {}", base.file_name().unwrap().to_string_lossy());
    let (mut ours, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..n {
        ours.push(measure::run(runner, &cmd(liaison()), scratch));
        theirs.push(measure::run(runner, &cmd(Command::new(&base)), scratch));
    }
    assert_eq!(theirs[0].exit, 0, "{case}: the baseline failed");
    let named = |tool: &str, samples| Case {
        case: case.into(),
        tool: tool.into(),
        samples,
        note: String::new(),
    };
    (named("liaison", ours), Some(named(&tool, theirs)))
}

/// The 长沙县 month (18 returns with their ledger sheets): check and report, and the reference
/// scripts on the same files; every figure must equal the generated ones.
pub(crate) fn month_cases(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    archive: &Path,
    n: usize,
) {
    let t0 = Instant::now();
    let period = Period::parse_canonical(PERIOD).unwrap();
    let voters = Config::embedded()
        .metric_index("voters_received")
        .expect("the bench's configs count 接待走访选民");
    let county = data::county_config();
    let month = scratch.join("month");
    // Each return carries its ledger sheet: 30 items (the open ones of the year so far and
    // May's new ones), so check runs the ledger rules and report publishes the ledger too.
    let [_, ledgers] = data::province_ledgers(&county, 30);
    let expected = data::write_month_with_ledgers(&month, &county, period, 1, &ledgers);
    eprintln!("[{:>5.1}s] month written", t0.elapsed().as_secs_f64());
    let check = |bin: Command| {
        let mut c = bin;
        c.arg("--output").arg(archive);
        c.args([
            "check",
            month.to_str().unwrap(),
            "--period",
            PERIOD,
            "--format",
            "json",
        ]);
        c
    };
    let (mut c, base) = with_baseline(runner, "一个月审核 check (18 份)", n, scratch, check);
    assert_eq!(c.samples[0].exit, 0, "the synthetic month must check clean");
    assert_eq!(
        check_totals(&c.json(), &county),
        expected,
        "liaison read other figures"
    );
    c.note = "18 returns, 125 stations".into();
    cases.push(c);
    cases.extend(base);
    let mut k = 0;
    let report = |bin: Command| {
        k += 1;
        let mut c = bin;
        c.arg("--output").arg(scratch.join(format!("out{k}")));
        c.args(["report", month.to_str().unwrap(), "--period", PERIOD]);
        c
    };
    let (mut c, base) = with_baseline(runner, "一个月发布 report (全部输出)", n, scratch, report);
    assert_eq!(c.samples[0].exit, 0, "the synthetic month must publish");
    c.note = "workbook, charts PNG+SVG, briefing .md+.docx, archive; ledger of 540 items".into();
    cases.push(c);
    cases.extend(base);
    let c = Case::measure(
        runner,
        ("一个月读取汇总 (18 份)", "pandas+openpyxl"),
        n,
        scratch,
        || {
            let mut c = python("read_returns.py");
            c.arg(&month);
            c
        },
    );
    assert_eq!(
        as_u64s(&c.json()["totals"]),
        expected,
        "the reference read other figures"
    );
    cases.push(c);
    let c = Case::measure(
        runner,
        ("一个月读取汇总 (18 份)", "python-calamine"),
        n,
        scratch,
        || {
            let mut c = python("calamine_sum.py");
            c.arg(&month);
            c
        },
    );
    assert_eq!(
        c.json()["voters"].as_u64(),
        Some(expected[voters]),
        "the python-calamine script read other figures"
    );
    cases.push(c);
}

/// The 2 GB zip bomb of the hostile tests, refused within the limits.
pub(crate) fn bomb_case(
    runner: &mut measure::Runner,
    cases: &mut Vec<Case>,
    scratch: &Path,
    archive: &Path,
    n: usize,
) {
    // 4. The 2 GB zip bomb.
    let bomb_dir = scratch.join("bomb");
    std::fs::create_dir(&bomb_dir).unwrap();
    let bomb = crate::crafted::bomb_2gb(4096);
    std::fs::write(bomb_dir.join("金井镇.xlsx"), &bomb).unwrap();
    let mut c = Case::measure(runner, ("2 GB 压缩炸弹", "liaison"), n, scratch, || {
        let mut c = liaison();
        c.arg("--output").arg(archive);
        c.args([
            "check",
            bomb_dir.to_str().unwrap(),
            "--period",
            PERIOD,
            "--format",
            "json",
        ]);
        c
    });
    assert_eq!(c.samples[0].exit, 1, "the bomb must be refused");
    c.note = format!(
        "{:.1} MB file, refused as too_large",
        bomb.len() as f64 / 1e6
    );
    cases.push(c);
}
