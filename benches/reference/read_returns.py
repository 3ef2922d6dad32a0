#!/usr/bin/env python3
"""The reference pipeline of `cargo bench --bench pipeline`: what a county office's analyst
would write instead of liaison — pandas + openpyxl, reading every .xlsx of a folder and summing
the same columns per unit and over the whole folder.

    python3 benches/reference/read_returns.py FOLDER

Prints JSON: {"files", "stations", "seconds" (in-process, after imports), "totals": [...]}, the
totals in the sheet's metric column order, so the bench can check both tools found the same
figures. Like most such scripts it assumes every file keeps the template's column order and
has a 工作站名称 header cell; it does none of liaison's checks.
"""
import json
import sys
import time
from pathlib import Path

import pandas as pd


def read_one(path: Path) -> pd.DataFrame:
    raw = pd.read_excel(path, header=None, engine="openpyxl")
    hits = raw.isin(["工作站名称"])
    row = hits.any(axis=1).idxmax()
    col = hits.loc[row].idxmax()
    unit_cells = raw.isin(["填报单位", "填报单位:", "填报单位："])
    ur = unit_cells.any(axis=1).idxmax()
    uc = unit_cells.loc[ur].idxmax()
    right = raw.iloc[ur, raw.columns.get_loc(uc) + 1:].dropna()
    unit = right.iloc[0]  # the next filled cell (the template merges the label over two)
    top = raw.loc[row].ffill()
    sub = raw.loc[row + 1]
    metric_cols = [
        c for c in raw.columns
        if c > col and isinstance(top[c], str) and ("(" in str(top[c]) or "（" in str(top[c])) and "备注" not in str(top[c])
    ]
    body = raw.loc[row + 2:]
    names = body[col]
    end = names.isin(["合计", "总计"]) | names.isna()
    if end.any():
        body = body.loc[: end.idxmax() - 1]
    figures = body[metric_cols].apply(pd.to_numeric, errors="coerce").fillna(0).astype("int64")
    def plain(x) -> str:  # the same header whichever brackets and line breaks a writer used
        return str(x).replace("（", "(").replace("）", ")").replace("\n", "")
    figures.columns = [f"{plain(top[c])}/{plain(sub[c])}" if isinstance(sub[c], str) else plain(top[c])
                       for c in metric_cols]
    figures.insert(0, "unit", unit)
    return figures


def main() -> None:
    t = time.perf_counter()
    files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
    frames = [read_one(f) for f in files]
    stations = pd.concat(frames, ignore_index=True)
    by_unit = stations.groupby("unit").sum()
    total = by_unit.sum()
    print(json.dumps({
        "files": len(files),
        "stations": len(stations),
        "units": len(by_unit),
        "seconds": time.perf_counter() - t,
        "columns": list(total.index),
        "totals": [int(v) for v in total.values],
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
