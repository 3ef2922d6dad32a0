//! The archive's datasets read as any Hive reader reads them, for the tests that read while
//! liaison writes: polars' Hive-partitioned scan of `history/` and `ledger/`, and the folder
//! listing DuckDB and Spark make first (every entry must be a `period=YYYY-MM` folder).

use std::collections::BTreeMap;
use std::path::Path;

use polars::prelude::*;

/// Per `<dataset>/<period>`: the rows, and the sum of 接待走访选民 (history) or the number of
/// units (ledger) — what tells one whole version of a month from another.
pub type Seen = BTreeMap<String, (u32, i64)>;

/// Reads both datasets of `out` once; an error names what failed.
pub fn read(out: &Path) -> Result<Seen, String> {
    let mut seen = Seen::new();
    for (dataset, measure) in [
        (
            "history",
            col("voters_received").sum().cast(DataType::Int64),
        ),
        ("ledger", col("unit_id").n_unique().cast(DataType::Int64)),
    ] {
        let dir = out.join(dataset);
        // What a Hive reader lists first: nothing but period=YYYY-MM folders.
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut periods = 0;
        for e in entries {
            let name = e.map_err(|e| e.to_string())?.file_name();
            let name = name.to_string_lossy();
            let ok = name
                .strip_prefix("period=")
                .is_some_and(|p| liaison::core::text::Period::parse_canonical(p).is_some());
            if !ok {
                return Err(format!("{dataset}/{name} 不是分区"));
            }
            periods += 1;
        }
        if periods == 0 {
            continue;
        }
        let df = liaison::history::scan_hive(&dir)
            .and_then(|lf| {
                lf.group_by([col("period")])
                    .agg([len().alias("rows"), measure.alias("measure")])
                    .collect()
            })
            .map_err(|e| format!("{dataset}: {e}"))?;
        let p = df.column("period").unwrap().str().unwrap().clone();
        let rows = df.column("rows").unwrap().cast(&DataType::UInt32).unwrap();
        let m = df.column("measure").unwrap().i64().unwrap().clone();
        for i in 0..df.height() {
            seen.insert(
                format!("{dataset}/{}", p.get(i).unwrap()),
                (rows.u32().unwrap().get(i).unwrap(), m.get(i).unwrap_or(0)),
            );
        }
    }
    Ok(seen)
}
