#!/usr/bin/env python3
"""The peer of `liaison summary --year` in `cargo bench --bench pipeline`: DuckDB summing the same
Hive-partitioned history partitions (SPEC §5 layout) that the summary reads.

    python3 benches/reference/summary_duckdb.py HISTORY_DIR YEAR METRIC [METRIC ...]

Computes, materialised in memory, what the summary states of each unit over the year — months
counted, station-months and every metric summed — and the previous year's sums (同比). Prints JSON:
{"seconds": in-process seconds after imports, "units": {unit_id: [months, station_months, sums…]},
 "previous": [sums…]}.
"""
import json
import sys
import time

import duckdb


def main() -> None:
    history, year, metrics = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    t = time.perf_counter()
    con = duckdb.connect()
    sums = ", ".join(f"sum({m})::BIGINT AS {m}" for m in metrics)

    def scan(y: int) -> str:
        return (f"read_parquet('{history}/period={y}-*/*.parquet', hive_partitioning = true, "
                "hive_types = {'period': VARCHAR})")

    con.execute(f"""CREATE TEMP TABLE units AS SELECT unit_id, count(DISTINCT period)::BIGINT AS months,
        count(*)::BIGINT AS station_months, {sums} FROM {scan(year)} GROUP BY unit_id""")
    con.execute(f"CREATE TEMP TABLE previous AS SELECT {sums} FROM {scan(year - 1)}")
    seconds = time.perf_counter() - t
    cols = ", ".join(["months", "station_months"] + metrics)
    units = {r[0]: list(r[1:]) for r in con.execute(f"SELECT unit_id, {cols} FROM units").fetchall()}
    previous = list(con.execute("SELECT * FROM previous").fetchone())
    print(json.dumps({"seconds": seconds, "units": units, "previous": previous}))


if __name__ == "__main__":
    main()
