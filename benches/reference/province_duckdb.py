#!/usr/bin/env python3
"""The peer at province scale in `cargo bench --bench pipeline`: DuckDB aggregating the same
Hive-partitioned history (SPEC §5 layout) that liaison's polars code aggregates.

    python3 benches/reference/province_duckdb.py HISTORY_DIR [--unit ID_COLUMN NAME_COLUMN] METRIC [METRIC ...]

`--unit county_id county` reads a roll-up's history, whose units are its counties.

Computes what liaison computes — per period × unit: station count and every metric summed, with
the previous month's figures, change and change %; per period: units, stations, sums, and the
same month-on-month columns — materialised in memory. Prints JSON with row counts, a checksum
of the summed first metric, and the in-process seconds (after imports).
"""
import json
import sys
import time

import duckdb


def mom(table: str, keys: list[str], metrics: list[str]) -> str:
    prev = ", ".join([f"{k}" for k in keys if k != "period"] + [f"{m} AS {m}_prev" for m in metrics])
    on = " AND ".join(["p.prev_period = c.prev_key"] + [f"p.{k} = c.{k}" for k in keys if k != "period"])
    cols = ", ".join(
        f"c.{m} - p.{m}_prev AS {m}_change, "
        f"CASE WHEN p.{m}_prev > 0 THEN (c.{m} - p.{m}_prev)::DOUBLE / p.{m}_prev END AS {m}_change_pct, "
        f"p.{m}_prev"
        for m in metrics
    )
    return f"""
        WITH c AS (
            SELECT *, strftime(strptime(period || '-01', '%Y-%m-%d') - INTERVAL 1 MONTH, '%Y-%m') AS prev_key
            FROM {table}),
        p AS (SELECT period AS prev_period, {prev} FROM {table})
        SELECT c.*, {cols} FROM c LEFT JOIN p ON {on}"""


def main() -> None:
    history, metrics = sys.argv[1], sys.argv[2:]
    unit_id, unit = "unit_id", "unit"
    if metrics[:1] == ["--unit"]:
        unit_id, unit, metrics = metrics[1], metrics[2], metrics[3:]
    t = time.perf_counter()
    con = duckdb.connect()
    sums = ", ".join(f"sum({m})::BIGINT AS {m}" for m in metrics)
    con.execute(f"""CREATE TEMP VIEW stations AS SELECT * FROM read_parquet(
        '{history}/*/*.parquet', hive_partitioning = true, hive_types = {{'period': VARCHAR}})""")
    con.execute(f"""CREATE TEMP TABLE units AS SELECT period, {unit_id} AS unit_id, {unit} AS unit,
        count(*)::BIGINT AS stations, {sums} FROM stations GROUP BY period, {unit_id}, {unit}""")
    con.execute(f"""CREATE TEMP TABLE county AS SELECT period, count(DISTINCT {unit_id})::BIGINT AS units,
        count(*)::BIGINT AS stations, {sums} FROM stations GROUP BY period""")
    m = metrics
    con.execute(f"CREATE TEMP TABLE units_mom AS SELECT * FROM ({mom('units', ['period', 'unit_id', 'unit'], m)}) ORDER BY period, unit_id")
    con.execute(f"CREATE TEMP TABLE county_mom AS SELECT * FROM ({mom('county', ['period'], m)}) ORDER BY period")
    seconds = time.perf_counter() - t
    units = con.execute(f"SELECT count(*), sum({m[0]}), sum({m[0]}_change) FROM units_mom").fetchone()
    county = con.execute(f"SELECT count(*), sum({m[0]}), sum(stations) FROM county_mom").fetchone()
    print(json.dumps({
        "seconds": seconds,
        "unit_rows": units[0], "county_rows": county[0],
        "first_metric_sum": int(county[1]), "stations": int(county[2]),
        "unit_change_sum": int(units[2] or 0),
    }))


if __name__ == "__main__":
    main()
