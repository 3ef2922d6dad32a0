#!/usr/bin/env python3
"""The *other* writer of `cargo bench --bench pipeline`: writes returns with openpyxl, as a
county office's own spreadsheet would be, from a job file the bench prepares.

    python3 benches/reference/write_returns.py JOB.json

JOB.json: {"title": str, "groups": [{"label": str, "subs": [str, ...]} | {"label": str}],
           "files": [{"path": str, "unit": str, "period": str,
                      "stations": [[name, [int, ...]], ...],
                      "ledger": [[id, collected, station, deputies, content, category,
                                  handler, status, settled | null], ...]  (optional)}]}
The layout differs from liaison's template on purpose but stays inside SPEC §3: title row,
labels with the value in the next cell, no 联络员/进站日期 columns, a two-row header with merged
group cells, a 合计 row of plain numbers, shared strings (openpyxl) instead of inline ones. A ledger, when given, goes on a sheet 台账
(SPEC §8) laid out unlike the template's: header on row 3 from column B, other spellings of the
headers (台账编号, 提出日期, 问题描述 …, 状态（必填）), status aliases (已办结, 已回复, 办理中, 未办),
and dates written three ways (Excel dates, 2022/5/15, 2022年5月15日).
"""
import datetime
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
    if f.get("ledger"):
        ledger(wb.create_sheet("台账"), f)
    wb.save(f["path"])


LEDGER_HEADERS = ["台账编号", "提出日期", "工作站名称", "代表姓名", "问题描述", "问题类别",
                  "办理单位", "状态（必填）", "完成日期"]
STATUS_ALIAS = {"已解决": "已办结", "已答复": "已回复", "正在办理": "办理中", "未办理": "未办"}


def day(text: str | None, k: int):
    """A date written as a clerk might: an Excel date, 2022/5/15 or 2022年5月15日."""
    if not text:
        return None
    d = datetime.date.fromisoformat(text)
    return [d, f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日"][k % 3]


def ledger(ws, f: dict) -> None:
    ws.cell(1, 2, f"{f['unit']}意见建议办理台账")
    for c, h in enumerate(LEDGER_HEADERS):
        ws.cell(3, 2 + c, h)
    for k, (iid, collected, station, deputies, content, category, handler, status, settled) in enumerate(f["ledger"]):
        r = 4 + k
        values = [iid, day(collected, k), station, deputies, content, category, handler,
                  STATUS_ALIAS[status] if k % 2 else status, day(settled, k + 1)]
        for c, v in enumerate(values):
            cell = ws.cell(r, 2 + c, v if v != "" else None)
            if isinstance(v, datetime.date):
                cell.number_format = "yyyy-mm-dd"


def main() -> None:
    with open(sys.argv[1], encoding="utf-8") as fh:
        job = json.load(fh)
    for f in job["files"]:
        write(job, f)


if __name__ == "__main__":
    main()
