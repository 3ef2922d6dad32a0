//! The bench's synthetic inputs: returns written by liaison's template writer and by openpyxl,
//! a province-sized config, and a province's ten-year history in the SPEC §5 Parquet layout.

use std::path::Path;
use std::process::Command;

use liaison::config::{Config, Unit};
use liaison::core::text::Period;
use liaison::forms::ledger::{LedgerItem, NaiveDate, Status};
use liaison::{aggregate, forms::template, history};
use polars::prelude::*;

/// Small deterministic generator (xorshift64*): the same files on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n.max(1)
    }
}

/// Characters of place names; two of them and 镇 make a unit, two and 村 a station.
const PLACE: &str = "安福青山白沙金井高桥黄花春华果园江背开慧双龙北泉塘长榔梨星干杉新田大石东城西湖南岭港\
    平和兴隆朝阳松雅仙望团结凤凰桃李梅竹清水云溪枫林柳荷莲丰乐永宁太白鹤鸣";

/// `n` distinct place names of two characters and `suffix` (镇, 县, 村工作站).
pub fn names(n: usize, suffix: &str) -> Vec<String> {
    let mut chars: Vec<char> = Vec::new();
    for ch in PLACE.chars().filter(|c| !c.is_whitespace()) {
        if !chars.contains(&ch) {
            chars.push(ch);
        }
    }
    let mut out = Vec::with_capacity(n);
    'outer: for a in &chars {
        for b in &chars {
            if a != b {
                out.push(format!("{a}{b}{suffix}"));
                if out.len() == n {
                    break 'outer;
                }
            }
        }
    }
    assert_eq!(out.len(), n, "not enough place names");
    out
}

/// `n` distinct place names of three characters and `suffix`: more than [`names`] can make,
/// none of them one of its names with a character added in the middle or at the end.
pub fn names3(n: usize, suffix: &str) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    let chars: Vec<char> = PLACE
        .chars()
        .filter(|c| !c.is_whitespace() && seen.insert(*c))
        .collect();
    let mut out = Vec::with_capacity(n);
    for a in &chars {
        for b in &chars {
            for c in &chars {
                if a != b && b != c && a != c {
                    out.push(format!("{a}{b}{c}{suffix}"));
                    if out.len() == n {
                        return out;
                    }
                }
            }
        }
    }
    panic!("not enough place names")
}

/// The embedded 长沙县 config with a synthetic register of 125 stations (the embedded config
/// carries none: the returns need station names).
pub fn county_config() -> Config {
    let mut c = Config::embedded();
    let all = names(7 * c.units.len(), "社区工作站");
    for (i, u) in c.units.iter_mut().enumerate() {
        let k = if i == 0 { 6 } else { 7 };
        u.stations = all[7 * i..7 * i + k].to_vec();
    }
    c
}

/// The embedded 长沙县 config with `n` synthetic towns of `stations` stations each (a
/// province's month is ~2,000 town returns).
pub fn province_config(n: usize, stations: usize) -> Config {
    let mut c = Config::embedded();
    c.region.name = "湘中省".into();
    c.region.scope = "全省".into();
    c.region.title = "湘中省人大代表联系群众工作站进站活动月报表".into();
    let st = names(stations, "村工作站");
    c.units = names(n, "镇")
        .into_iter()
        .enumerate()
        .map(|(i, name)| Unit {
            id: format!("t{i:04}"),
            name,
            kind: "镇".into(),
            aliases: Vec::new(),
            stations: st.clone(),
            roster: Default::default(),
        })
        .collect();
    c
}

/// One station's figures in config metric order: plausible and clean (solved ≤ collected).
pub fn station_figures(rng: &mut Rng, config: &Config) -> Vec<u64> {
    let mut v: Vec<u64> = config
        .metrics
        .iter()
        .map(|m| match (m.level.as_deref(), m.group.as_deref()) {
            (Some("national"), _) => rng.below(2) * rng.below(2),
            (Some(_), _) => rng.below(12),
            (None, Some(_)) => rng.below(6),
            (None, None) => rng.below(60),
        })
        .collect();
    let (s, c) = (&config.checks.solved, &config.checks.collected);
    let pos = |id: &str| config.metrics.iter().position(|m| m.id == id);
    if let (Some(s), Some(c)) = (pos(s), pos(c)) {
        v[s] = v[s].min(v[c]);
    }
    v
}

/// Writes one return per unit of `config` into `dir` for `period`: even units with liaison's
/// template writer (rust_xlsxwriter), odd ones with openpyxl. Returns the expected totals in
/// config metric order.
pub fn write_month(dir: &Path, config: &Config, period: Period, seed: u64) -> Vec<u64> {
    write_month_with_ledgers(dir, config, period, seed, &[])
}

/// [`write_month`] with a ledger sheet in each return: `ledgers[i]` is unit i's (none when
/// `ledgers` is empty). The openpyxl half writes it in its own layout (sheet 台账, header
/// further down and right, other header spellings, status aliases, dates as text or dates).
pub fn write_month_with_ledgers(
    dir: &Path,
    config: &Config,
    period: Period,
    seed: u64,
    ledgers: &[Vec<LedgerItem>],
) -> Vec<u64> {
    std::fs::create_dir_all(dir).unwrap();
    let mut rng = Rng::new(seed);
    let mut totals = vec![0u64; config.metrics.len()];
    let mut job = Vec::new();
    for (i, unit) in config.units.iter().enumerate() {
        let rows: Vec<Vec<u64>> = unit
            .stations
            .iter()
            .map(|_| station_figures(&mut rng, config))
            .collect();
        for r in &rows {
            totals.iter_mut().zip(r).for_each(|(t, v)| *t += v);
        }
        let name = template::file_name(unit, period);
        let items = ledgers.get(i).map_or(&[][..], |l| l.as_slice());
        if i % 2 == 0 {
            let bytes = template::build_with(
                config,
                unit,
                period,
                &rows,
                liaison::forms::Typed { ledger: items },
            )
            .unwrap();
            std::fs::write(dir.join(name), bytes).unwrap();
        } else {
            let stations: Vec<_> = unit.stations.iter().zip(&rows).collect();
            job.push(serde_json::json!({
                "path": dir.join(name.replace("月报表", "月报(自制)")),
                "unit": unit.name,
                "period": format!("{}年{}月", period.year(), period.month()),
                "stations": stations,
                "ledger": items.iter().map(|it| serde_json::json!([
                    it.id, it.collected.to_string(), it.station, it.deputies.join("、"),
                    it.content, it.category, it.handler, it.status.label(),
                    it.settled.map(|d| d.to_string()),
                ])).collect::<Vec<_>>(),
            }));
        }
    }
    if !job.is_empty() {
        openpyxl_write(config, job);
    }
    totals
}

fn openpyxl_write(config: &Config, files: Vec<serde_json::Value>) {
    let mut groups: Vec<serde_json::Value> = Vec::new();
    let mut seen = Vec::new();
    for m in &config.metrics {
        match m.group.as_deref().and_then(|g| config.group(g)) {
            Some(g) if seen.contains(&g.id) => {
                let last = groups.last_mut().unwrap();
                last["subs"]
                    .as_array_mut()
                    .unwrap()
                    .push(m.label.clone().into());
            }
            Some(g) => {
                seen.push(g.id.clone());
                groups.push(
                    serde_json::json!({"label": format!("{}({})", g.label, g.measure),
                    "subs": [m.label]}),
                );
            }
            None => {
                groups.push(serde_json::json!({"label": format!("{}({})", m.label, m.measure)}))
            }
        }
    }
    let job = serde_json::json!({"title": config.region.title, "groups": groups, "files": files});
    let file = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(file.path(), job.to_string()).unwrap();
    let status = Command::new("python3")
        .arg(super::reference("write_returns.py"))
        .arg(file.path())
        .status()
        .expect("python3");
    assert!(
        status.success(),
        "openpyxl writer failed: pip install -r benches/reference/requirements.txt"
    );
}

/// A province's history: `counties` counties of 18 towns and `stations` stations each, over
/// `months` months ending 2026-10, one Hive partition per month, written by liaison's own
/// Parquet writer. Returns the number of station rows.
pub fn write_history(
    dir: &Path,
    config: &Config,
    counties: usize,
    stations: usize,
    months: usize,
) -> usize {
    let towns = 18;
    let county_names = names(counties, "县");
    let town_names = names(towns, "镇");
    let station_names = names(stations, "村工作站");
    let mut rng = Rng::new(7);
    let mut p = Period::new(2026, 10).unwrap();
    let mut periods = Vec::new();
    for _ in 0..months {
        periods.push(p);
        p = p.previous();
    }
    let mut rows = 0;
    for period in periods.into_iter().rev() {
        let (mut uid, mut unit, mut station) = (Vec::new(), Vec::new(), Vec::new());
        let mut values: Vec<Vec<i64>> = vec![Vec::new(); config.metrics.len() + 1];
        for (c, county) in county_names.iter().enumerate() {
            for (s, st) in station_names.iter().enumerate() {
                let t = s * towns / stations;
                uid.push(format!("c{c:03}-t{t:02}"));
                unit.push(format!("{county}{}", town_names[t]));
                station.push(st.clone());
                let v = station_figures(&mut rng, config);
                let mut total = 0;
                for (i, (m, x)) in config.metrics.iter().zip(&v).enumerate() {
                    values[i].push(*x as i64);
                    total += if m.level.is_some() { *x as i64 } else { 0 };
                }
                values[config.metrics.len()].push(total);
            }
        }
        let n = uid.len();
        rows += n;
        let mut cols = vec![
            Column::new("period".into(), vec![period.to_string(); n]),
            Column::new("unit_id".into(), uid),
            Column::new("unit".into(), unit),
            Column::new("station".into(), station),
        ];
        for (name, v) in aggregate::metric_columns(config).into_iter().zip(values) {
            cols.push(Column::new(name.into(), v));
        }
        cols.push(Column::new("source_sha256".into(), vec!["0".repeat(64); n]));
        let df = DataFrame::new(n, cols).unwrap();
        let part = history::partition_dir(dir, period);
        std::fs::create_dir_all(&part).unwrap();
        std::fs::write(
            part.join(history::PART),
            history::parquet_bytes(&df).unwrap(),
        )
        .unwrap();
    }
    rows
}

/// Given names of deputies in the synthetic ledgers.
const DEPUTIES: [&str; 8] = [
    "张丽",
    "李建国",
    "王芳",
    "刘洋",
    "陈敏",
    "杨伟",
    "赵磊",
    "周静",
];
/// What the synthetic suggestions are about (no whitespace: liaison keeps text as written).
const SUBJECTS: [&str; 6] = [
    "村道路面破损需修补",
    "集中供水水压不足",
    "老年食堂运营补贴",
    "农贸市场周边停车难",
    "河道垃圾清理不及时",
    "小区路灯损坏夜间出行不便",
];

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

/// A random status: `settled` percent of the time settled (solved or answered), else open.
fn status(rng: &mut Rng, settled: u64) -> Status {
    match (rng.below(100) < settled, rng.below(3)) {
        (true, 0) => Status::Answered,
        (true, _) => Status::Solved,
        (false, 0) => Status::NotStarted,
        (false, _) => Status::InProgress,
    }
}

fn new_item(
    rng: &mut Rng,
    config: &Config,
    unit: &Unit,
    k: usize,
    collected: NaiveDate,
) -> LedgerItem {
    let station = unit.stations[rng.below(unit.stations.len() as u64) as usize].clone();
    let deputies = (0..1 + rng.below(2))
        .map(|_| DEPUTIES[rng.below(DEPUTIES.len() as u64) as usize].to_string())
        .collect::<Vec<_>>();
    let cats = &config.ledger.categories;
    LedgerItem {
        id: format!("{}-{k:04}", unit.id.to_uppercase()),
        collected,
        station,
        deputies,
        content: format!(
            "{}（第{k}条）",
            SUBJECTS[rng.below(SUBJECTS.len() as u64) as usize]
        ),
        category: cats[rng.below(cats.len() as u64) as usize].clone(),
        handler: if rng.below(4) == 0 {
            String::new()
        } else {
            format!("{}办事处", unit.name)
        },
        status: Status::NotStarted,
        settled: None,
        cells: Default::default(),
    }
}

/// Sets an item's month-end status as of `end`: settled ones get a date between their
/// collection and `end`, no earlier than `from`.
fn settle(rng: &mut Rng, it: &mut LedgerItem, s: Status, from: NaiveDate, end: NaiveDate) {
    it.status = s;
    it.settled = s.settled().then(|| {
        let start = it.collected.max(from);
        let span = (end - start).num_days().max(0) as u64;
        start + chrono::Duration::days(rng.below(span + 1) as i64)
    });
}

/// The ledgers of a province's two months, `items` rows per unit and return.
///
/// April: every unit sends its cumulative ledger of the year (collected January to April,
/// mixed statuses; the open ones collected before April are overdue by May's end). May: every
/// item still open in April with its May status (about half settle in May), except one open
/// item in every third unit (not sent: it keeps April's state), then new items of May up to
/// `items` rows.
pub fn province_ledgers(config: &Config, items: usize) -> [Vec<Vec<LedgerItem>>; 2] {
    let mut rng = Rng::new(11);
    let (apr_end, may_first, may_end) = (date(2022, 4, 30), date(2022, 5, 1), date(2022, 5, 31));
    let mut april = Vec::new();
    let mut may = Vec::new();
    for (u, unit) in config.units.iter().enumerate() {
        let mut a: Vec<LedgerItem> = (1..=items)
            .map(|k| {
                let day = rng.below(118) as i64; // 2022-01-03 … 2022-04-30
                let c = date(2022, 1, 3) + chrono::Duration::days(day);
                let mut it = new_item(&mut rng, config, unit, k, c);
                let s = status(&mut rng, 55);
                settle(&mut rng, &mut it, s, c, apr_end);
                it
            })
            .collect();
        a.sort_by_key(|i| i.collected);
        let mut m: Vec<LedgerItem> = Vec::new();
        let mut skipped = u % 3 != 0;
        for it in a.iter().filter(|i| i.status.open()) {
            if !skipped {
                skipped = true;
                continue;
            }
            let mut it = it.clone();
            let s = status(&mut rng, 50);
            if s.settled() || rng.below(2) == 0 {
                settle(&mut rng, &mut it, s, may_first, may_end);
            }
            m.push(it);
        }
        m.truncate(items - items / 5);
        let mut k = items;
        while m.len() < items {
            k += 1;
            let c = may_first + chrono::Duration::days(rng.below(31) as i64);
            let mut it = new_item(&mut rng, config, unit, k, c);
            let s = status(&mut rng, 40);
            settle(&mut rng, &mut it, s, c, may_end);
            m.push(it);
        }
        april.push(a);
        may.push(m);
    }
    [april, may]
}

/// The rows of a month's ledgers as CSV (what DuckDB reads: the items the returns carry,
/// typed, one row each, with their unit).
pub fn ledger_csv(path: &Path, config: &Config, ledgers: &[Vec<LedgerItem>]) {
    use std::fmt::Write as _;
    let mut s = String::from(
        "unit_id,item_id,collected,station,deputies,content,category,handler,status,settled\n",
    );
    for (unit, items) in config.units.iter().zip(ledgers) {
        for i in items {
            let settled = i.settled.map(|d| d.to_string()).unwrap_or_default();
            writeln!(
                s,
                "{},{},{},\"{}\",\"{}\",\"{}\",{},\"{}\",{},{}",
                unit.id,
                i.id,
                i.collected,
                i.station,
                i.deputies.join("、"),
                i.content,
                i.category,
                i.handler,
                i.status.label(),
                settled
            )
            .unwrap();
        }
    }
    std::fs::write(path, s).unwrap();
}
