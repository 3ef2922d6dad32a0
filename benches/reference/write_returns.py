#!/usr/bin/env python3
"""The *other* writer of `cargo bench --bench pipeline`: writes returns with openpyxl, as a
county office's own spreadsheet would be, from a job file the bench prepares.

    python3 benches/reference/write_returns.py JOB.json

JOB.json: {"title": str, "groups": [{"label": str, "subs": [str, ...]} | {"label": str}],
           "files": [{"path": str, "unit": str, "period": str,
                      "stations": [[name, [int, ...]], ...]}]}
The layout differs from liaison's template on purpose but stays inside SPEC §3: title row,
labels with the value in the next cell, no 联络员/进站日期 columns, a two-row header with merged
group cells, a 合计 row of plain numbers, shared strings (openpyxl) instead of inline ones.
"""
import json
import sys

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side


def write(job: dict, f: dict) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "月报"
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    width = 2 + sum(len(g.get("subs", [])) or 1 for g in job["groups"])
    ws.cell(1, 1, job["title"]).font = Font(name="宋体", size=16, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, "填报单位")
    ws.cell(2, 2, f["unit"])
    ws.cell(2, 4, "统计月份")
    ws.cell(2, 5, f["period"])
    ws.cell(3, 1, "序号")
    ws.cell(3, 2, "工作站名称")
    for c in (1, 2):
        ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
    c = 3
    for g in job["groups"]:
        subs = g.get("subs") or []
        ws.cell(3, c, g["label"])
        if subs:
            for i, s in enumerate(subs):
                ws.cell(4, c + i, s)
            if len(subs) > 1:
                ws.merge_cells(start_row=3, start_column=c, end_row=3, end_column=c + len(subs) - 1)
            c += len(subs)
        else:
            ws.merge_cells(start_row=3, start_column=c, end_row=4, end_column=c)
            c += 1
    r = 5
    sums = None
    for i, (name, values) in enumerate(f["stations"]):
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, name)
        for j, v in enumerate(values):
            ws.cell(r, 3 + j, v)
        sums = values[:] if sums is None else [a + b for a, b in zip(sums, values)]
        r += 1
    ws.cell(r, 2, "合计")
    for j, v in enumerate(sums or []):
        ws.cell(r, 3 + j, v)
    for row in ws.iter_rows(min_row=3, max_row=r, max_col=width):
        for cell in row:
            cell.border = box
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.column_dimensions["B"].width = 20
    wb.save(f["path"])


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        job = json.load(fh)
    for f in job["files"]:
        write(job, f)


if __name__ == "__main__":
    main()
