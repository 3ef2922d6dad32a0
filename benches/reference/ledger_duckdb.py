#!/usr/bin/env python3
"""The peer of the ledger row in `cargo bench --bench pipeline`: DuckDB computing a month's
ledger state and per-unit figures from the same items liaison reads.

    python3 benches/reference/ledger_duckdb.py LEDGER_DIR MONTH_CSV PERIOD DUE_DAYS

LEDGER_DIR is the archive's ledger dataset (`ledger/period=YYYY-MM/part-0.parquet`, written by
liaison's own publication of the month before); DuckDB takes its latest partition before PERIOD
as last month's state. MONTH_CSV holds the items the month's returns carry, one typed row each
with its unit (DuckDB does not read .xlsx: the bench's generator writes this file beside the
returns). The state is last month's items updated by this month's (an item sent replaces its
last state, one not sent keeps it), materialised with every column; then per unit: 本月收集,
累计收集, 已解决, 已答复, 正在办理, 未办理, 超期未办结 (open and collected more than DUE_DAYS days
before the month's last day) and 办结率. Prints JSON: {"seconds" (in-process, after imports),
"items", "units": {unit_id: [month, total, solved, answered, in_progress, not_started,
overdue, rate]}}.
"""
import json
import sys
import time

import duckdb


def main() -> None:
    ledger, month_csv, period, due_days = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    t = time.perf_counter()
    con = duckdb.connect()
    first = f"DATE '{period}-01'"
    last = f"(DATE '{period}-01' + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE"
    con.execute(f"""CREATE TEMP VIEW archive AS SELECT * FROM read_parquet('{ledger}/*/*.parquet',
        hive_partitioning = true, hive_types = {{'period': VARCHAR}})""")
    con.execute(f"""CREATE TEMP TABLE prev AS SELECT * EXCLUDE (period) FROM archive
        WHERE period = (SELECT max(period) FROM archive WHERE period < '{period}')""")
    con.execute(f"""CREATE TEMP TABLE sent AS SELECT * FROM read_csv('{month_csv}', header = true,
        columns = {{'unit_id': 'VARCHAR', 'item_id': 'VARCHAR', 'collected': 'DATE',
        'station': 'VARCHAR', 'deputies': 'VARCHAR', 'content': 'VARCHAR', 'category': 'VARCHAR',
        'handler': 'VARCHAR', 'status': 'VARCHAR', 'settled': 'DATE'}})""")
    con.execute(f"""CREATE TEMP TABLE state AS
        SELECT p.* FROM prev p ANTI JOIN sent s ON p.unit_id = s.unit_id AND p.item_id = s.item_id
        UNION ALL BY NAME
        SELECT s.unit_id, s.item_id, s.station, s.deputies, s.content, s.category,
               coalesce(s.handler, '') AS handler, s.collected, s.status, s.settled,
               coalesce(p.first_period, '{period}') AS first_period, 'sent' AS source_sha256
        FROM sent s LEFT JOIN prev p ON p.unit_id = s.unit_id AND p.item_id = s.item_id
        ORDER BY unit_id, item_id""")
    rows = con.execute(f"""SELECT unit_id,
            count(*) FILTER (WHERE collected BETWEEN {first} AND {last}) AS month,
            count(*) AS total,
            count(*) FILTER (WHERE status = '已解决') AS solved,
            count(*) FILTER (WHERE status = '已答复') AS answered,
            count(*) FILTER (WHERE status = '正在办理') AS in_progress,
            count(*) FILTER (WHERE status = '未办理') AS not_started,
            count(*) FILTER (WHERE status IN ('正在办理', '未办理')
                             AND {last} - collected > {due_days}) AS overdue,
            count(*) FILTER (WHERE status IN ('已解决', '已答复'))::DOUBLE / count(*) AS rate
        FROM state GROUP BY unit_id ORDER BY unit_id""").fetchall()
    seconds = time.perf_counter() - t
    items = con.execute("SELECT count(*) FROM state").fetchone()[0]
    print(json.dumps({
        "seconds": seconds,
        "items": items,
        "units": {r[0]: list(r[1:]) for r in rows},
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
