//! The bench's synthetic inputs: returns written by liaison's template writer and by openpyxl,
//! a province-sized config, and a province's ten-year history in the SPEC §5 Parquet layout.

use std::path::Path;
use std::process::Command;

use liaison::config::{Config, Unit};
use liaison::text::Period;
use liaison::{aggregate, history, template};
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

fn names(n: usize, suffix: &str) -> Vec<String> {
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
        if i % 2 == 0 {
            let bytes = template::build_filled(config, unit, period, &rows).unwrap();
            std::fs::write(dir.join(name), bytes).unwrap();
        } else {
            let stations: Vec<_> = unit.stations.iter().zip(&rows).collect();
            job.push(serde_json::json!({
                "path": dir.join(name.replace("月报表", "月报(自制)")),
                "unit": unit.name,
                "period": format!("{}年{}月", period.year, period.month),
                "stations": stations,
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
