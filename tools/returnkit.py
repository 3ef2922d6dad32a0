"""Shared helpers for tools/samples/make_samples.py and tools/fixtures/make_fixtures.py.

A return is first described as a *sheet model* (cells, merges, hidden flag), rendered from a
`ReturnSpec` (title, label rows, header style, column order, station rows, total row, notes).
The same model is then written with openpyxl (.xlsx), xlwt (.xls) or openpyxl + LibreOffice
conversion (.xls / .ods / .xlsx / .xlsm), and read back to check that the file holds exactly
what the model says (`verify`).

Station metric cells are ints (counted as is), None (blank, counts 0) or `V` objects that say
what is written in the cell, what it counts for and which finding it must raise.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import openpyxl
import xlsxwriter
import xlwt
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

ROOT = Path(__file__).resolve().parents[1]          # /work/main
CONFIG_PATH = ROOT / "config" / "changsha.toml"

# fixed timestamp written into generated files so re-runs give the same bytes (openpyxl, xlwt)
FIXED_TIME = (2022, 5, 31, 8, 0, 0)


# ----------------------------------------------------------------------------- config

def load_config(path: Path = CONFIG_PATH) -> dict:
    with open(path, "rb") as f:
        return tomllib.load(f)


CFG = load_config()
METRICS = [m["id"] for m in CFG["metrics"]]
METRIC = {m["id"]: m for m in CFG["metrics"]}
GROUP = {g["id"]: g for g in CFG["groups"]}
DEPUTY_METRICS = [m["id"] for m in CFG["metrics"] if m.get("group") == "deputies"]
METHOD_METRICS = [m["id"] for m in CFG["metrics"] if m.get("group") == "methods"]
SINGLE_METRICS = [m["id"] for m in CFG["metrics"] if not m.get("group")]
UNITS = CFG["units"]
UNIT = {u["id"]: u for u in UNITS}
# The generators' own station names (the embedded config has no register): tools/stations.toml.
with open(Path(__file__).resolve().parent / "stations.toml", "rb") as _f:
    for _uid, _names in tomllib.load(_f).items():
        UNIT[_uid].setdefault("stations", _names)
TITLE = CFG["region"]["title"]
SOLVED = CFG["checks"]["solved"]
COLLECTED = CFG["checks"]["collected"]

# template column order
TEMPLATE_COLS = ["seq", "station", "liaison", "date"] + METRICS + ["remark"]
TEXT_COL_LABELS = {"seq": "序号", "station": "工作站名称", "liaison": "联络员",
                   "date": "进站日期", "remark": "备注"}


def default_label(key: str) -> str:
    """Template header text of a column (the member label for grouped columns)."""
    if key in TEXT_COL_LABELS:
        return TEXT_COL_LABELS[key]
    m = METRIC[key]
    if m.get("group"):
        return m["label"]
    return f"{m['label']}({m['measure']})"


def default_group_label(gid: str) -> str:
    g = GROUP[gid]
    return f"{g['label']}({g['measure']})"


def group_of(key: str) -> str | None:
    return METRIC[key].get("group") if key in METRIC else None


# ----------------------------------------------------------------------------- values

@dataclass
class V:
    """A metric cell: `shown` is written, `count` is what it counts for (None: refused)."""
    shown: Any
    count: int | None = None
    warn: str | None = None      # finding code raised at this cell (warning)
    err: str | None = None       # finding code raised at this cell (error)
    fmt: str | None = None       # number format
    expect: Any = None           # value a reader sees when `shown` is a formula (cached value)


def coerced(shown: Any, count: int) -> V:
    return V(shown, count, warn="coerced_value")


def refused(shown: Any, code: str, expect: Any = None) -> V:
    return V(shown, None, err=code, expect=expect)


def count_of(v: Any) -> int:
    if v is None:
        return 0
    if isinstance(v, V):
        return v.count or 0
    if isinstance(v, float):
        return int(v)
    return int(v)


FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def fullwidth_digits(n: int) -> str:
    return str(n).translate(FULLWIDTH)


# ----------------------------------------------------------------------------- sheet model

@dataclass
class Cell:
    value: Any = None
    fmt: str | None = None
    style: str = "data"          # title | label | header | data | note | plain
    expect: Any = None           # what a reader must see (formulas: the cached value)


@dataclass
class Sheet:
    name: str
    cells: dict = field(default_factory=dict)       # (row, col) 1-based -> Cell
    merges: list = field(default_factory=list)      # (r1, c1, r2, c2)
    hidden: bool = False
    widths: dict = field(default_factory=dict)      # col -> width in characters
    tags: dict = field(default_factory=dict)        # tag -> A1

    def put(self, r, c, value, fmt=None, style="data", expect=None):
        self.cells[(r, c)] = Cell(value, fmt, style, expect)

    def merge(self, r1, c1, r2, c2):
        if (r1, c1) != (r2, c2):
            self.merges.append((r1, c1, r2, c2))


def a1(r: int, c: int) -> str:
    return f"{get_column_letter(c)}{r}"


@dataclass
class ReturnSpec:
    rows: list                                   # station dicts
    sheet_name: str = "进站活动月报"
    top: int = 1
    left: int = 1
    title: str | None = TITLE
    pre_rows: list = field(default_factory=list)  # [[(col offset, value, tag?, fmt?), ...], ...]
    gap: int = 0                                 # blank rows before the header
    cols: list = field(default_factory=lambda: list(TEMPLATE_COLS))
    header: str = "two_merged"                   # two_merged | two_top | two_repeated | one_row
    labels: dict = field(default_factory=dict)   # key -> header text (one_row: the full text)
    group_labels: dict = field(default_factory=dict)
    blank_after: set = field(default_factory=set)  # blank row after station index i
    total: str | None = "合计"                    # the total row's label ("" = a total row with no label) | None
    total_at: str = "station"                    # station | seq | seq_merged
    subtotals: dict = field(default_factory=dict)  # station index i -> label of a subtotal row after it
    #                                               (sums of the stations since the previous one; "" = no label)
    after_total: list = field(default_factory=list)  # [(label, {metric: value})] rows right under the total
    total_mode: str = "number"                   # number | formula
    total_override: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    hidden: bool = False


def one_row_default(key: str) -> str:
    g = group_of(key)
    if g:
        return f"{GROUP[g]['label']}-{METRIC[key]['label']}"
    return default_label(key)


def render(spec: ReturnSpec) -> Sheet:
    sh = Sheet(spec.sheet_name, hidden=spec.hidden)
    c0, n = spec.left, len(spec.cols)
    col = {k: c0 + i for i, k in enumerate(spec.cols)}
    r = spec.top
    if spec.title is not None:
        sh.put(r, c0, spec.title, style="title")
        sh.merge(r, c0, r, c0 + n - 1)
        sh.tags["title"] = a1(r, c0)
        r += 1
    for prow in spec.pre_rows:
        for item in prow:
            off, val = item[0], item[1]
            tag = item[2] if len(item) > 2 else None
            fmt = item[3] if len(item) > 3 else None
            sh.put(r, c0 + off, val, fmt=fmt, style="label")
            if tag:
                sh.tags[tag] = a1(r, c0 + off)
        r += 1
    r += spec.gap

    # header
    def lab(k):
        return spec.labels.get(k, default_label(k))

    if spec.header == "one_row":
        for k in spec.cols:
            sh.put(r, col[k], spec.labels.get(k, one_row_default(k)), style="header")
            sh.tags[("hdr", k)] = a1(r, col[k])
        sh.tags["header_row"] = r
        r += 1
    else:
        h1, h2 = r, r + 1
        i = 0
        while i < n:
            k = spec.cols[i]
            g = group_of(k)
            if g is None:
                sh.put(h1, col[k], lab(k), style="header")
                sh.put(h2, col[k], None, style="header")
                if spec.header == "two_merged":
                    sh.merge(h1, col[k], h2, col[k])
                sh.tags[("hdr", k)] = a1(h1, col[k])
                i += 1
                continue
            j = i
            while j < n and group_of(spec.cols[j]) == g:
                j += 1
            glabel = spec.group_labels.get(g, default_group_label(g))
            for kk in spec.cols[i:j]:
                sh.put(h1, col[kk], glabel if spec.header == "two_repeated" else None, style="header")
                sh.put(h2, col[kk], lab(kk), style="header")
                sh.tags[("hdr", kk)] = a1(h2, col[kk])
            sh.put(h1, col[spec.cols[i]], glabel, style="header")
            if spec.header in ("two_merged", "two_top"):
                sh.merge(h1, col[spec.cols[i]], h1, col[spec.cols[j - 1]])
            i = j
        sh.tags["header_row"] = h1
        r += 2

    # station rows
    first = r
    sub_start, sub_rows = 0, []
    for i, row in enumerate(spec.rows):
        for k in spec.cols:
            c = col[k]
            if k == "seq":
                sh.put(r, c, row.get("seq", i + 1))
            elif k == "station":
                sh.put(r, c, row["name"])
                sh.tags[("name", i)] = a1(r, c)
            elif k in ("liaison", "date", "remark"):
                v = row.get(k)
                if isinstance(v, tuple):          # (value, number format)
                    sh.put(r, c, v[0], fmt=v[1])
                else:
                    sh.put(r, c, v)
            else:
                v = row.get(k)
                if isinstance(v, V):
                    sh.put(r, c, v.shown, fmt=v.fmt, expect=v.expect)
                else:
                    sh.put(r, c, v)
                sh.tags[("m", i, k)] = a1(r, c)
        r += 1
        if i in spec.subtotals:
            label = spec.subtotals[i]
            since = [x for j, x in enumerate(spec.rows) if sub_start <= j <= i]
            _label_row(sh, spec, col, r, label, "seq" if spec.total_at != "station" else "station")
            for k in spec.cols:
                if k in METRIC:
                    sh.put(r, col[k], sum(count_of(x.get(k)) for x in since))
            sh.tags[f"sub{i}"] = a1(r, col["station"] if "station" in col else c0)
            sub_rows.append(r)
            sub_start = i + 1
            r += 1
        if i in spec.blank_after:
            r += 1
    last = r - 1

    if spec.total is not None:
        _label_row(sh, spec, col, r, spec.total, spec.total_at)
        sh.tags["total_label"] = a1(r, col["station"] if "station" in col else c0)
        for k in spec.cols:
            if k in METRIC:
                s = sum(count_of(row.get(k)) for row in spec.rows)
                if k in spec.total_override:
                    val, expect = spec.total_override[k], None
                elif spec.total_mode == "formula":
                    L = get_column_letter(col[k])
                    minus = "".join(f"-{L}{sr}" for sr in sub_rows)
                    val, expect = f"=SUM({L}{first}:{L}{last}){minus}", s
                else:
                    val, expect = s, None
                sh.put(r, col[k], val, expect=expect)
                sh.tags[("total", k)] = a1(r, col[k])
            elif (r, col[k]) not in sh.cells:
                sh.put(r, col[k], None)
        sh.tags["total_row"] = r
        r += 1
        for label, values in spec.after_total:
            _label_row(sh, spec, col, r, label, spec.total_at)
            for k, v in values.items():
                sh.put(r, col[k], v)
            r += 1
    for note in spec.notes:
        sh.put(r, c0, note, style="note")
        sh.merge(r, c0, r, c0 + n - 1)
        r += 1

    # widths
    for k, c in col.items():
        sh.widths[c] = {"seq": 6, "station": 18, "liaison": 9, "date": 11, "remark": 14}.get(
            k, 7 if group_of(k) else 12)
    return sh


def _label_row(sh: "Sheet", spec: ReturnSpec, col: dict, r: int, label: str, at: str) -> None:
    """The label of a total or subtotal row: in the station column, the 序号 column, or the 序号
    column merged over 序号..进站日期; "" leaves the row without a label."""
    if at == "station" and "station" in col:
        sh.put(r, col["station"], label or None)
        if "seq" in col:
            sh.put(r, col["seq"], None)
    else:
        sh.put(r, col["seq"], label or None)
        if at == "seq_merged":
            sh.merge(r, col["seq"], r, col["date"])
            for k in ("station", "liaison", "date"):
                sh.put(r, col[k], None)


def station_totals(rows: list, metrics: list = METRICS) -> dict:
    t = {m: sum(count_of(r.get(m)) for r in rows) for m in metrics}
    t["deputies_total"] = sum(t[m] for m in DEPUTY_METRICS if m in t)
    return t


# ----------------------------------------------------------------------------- writers

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _px_style(x, cell: Cell):
    if cell.style == "title":
        x.font = Font(name="宋体", size=16, bold=True)
        x.alignment = Alignment(horizontal="center", vertical="center")
    elif cell.style == "header":
        x.font = Font(name="宋体", size=10, bold=True)
        x.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        x.border = _BORDER
    elif cell.style == "data":
        x.font = Font(name="宋体", size=10)
        x.border = _BORDER
    elif cell.style in ("label", "note"):
        x.font = Font(name="宋体", size=10)


def _sort_master_pages(xml: bytes) -> bytes:
    """LibreOffice writes one ODF master page per sheet in hash order; sort them by name."""
    m = re.search(rb"(<office:master-styles>)(.*?)(</office:master-styles>)", xml, re.S)
    if not m:
        return xml
    blocks = re.findall(rb"<style:master-page .*?</style:master-page>", m.group(2), re.S)
    if b"".join(blocks) != m.group(2):
        return xml
    return xml[:m.start(2)] + b"".join(sorted(blocks)) + xml[m.end(2):]


def _normalize_zip(data: bytes) -> bytes:
    """Fixed timestamps inside a zip package (xlsx, xlsm, ods) so the same model gives the same
    bytes: zip entry times, docProps/core.xml (OOXML) and meta.xml (ODF) dates. Entry order and
    per-entry compression are kept (ODF needs `mimetype` first and stored)."""
    zin = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = b"2022-05-31T08:00:00"
    with zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            buf = zin.read(info.filename)
            if info.filename == "docProps/core.xml":
                buf = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp + b"Z", buf)
            elif info.filename == "styles.xml":
                buf = _sort_master_pages(buf)
            elif info.filename == "meta.xml":
                buf = re.sub(rb"(<(meta:creation-date|dc:date)>)[^<]*", rb"\g<1>" + stamp, buf)
                buf = re.sub(rb"<meta:editing-duration>[^<]*", b"<meta:editing-duration>PT0S", buf)
            zi = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME)
            zi.compress_type = info.compress_type
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, buf)
    return out.getvalue()


def save_xlsx(sheets: list[Sheet], path: Path, active: int | None = None,
              epoch1904: bool = False) -> None:
    """epoch1904: dates stored in the 1904 date system (old Mac Excel; `<workbookPr date1904="1"/>`)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if epoch1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904
        wb.epoch = CALENDAR_MAC_1904
    for sh in sheets:
        ws = wb.create_sheet(sh.name)
        for (r, c), cell in sorted(sh.cells.items()):
            x = ws.cell(row=r, column=c)
            if cell.value is not None:
                x.value = cell.value
            if cell.fmt:
                x.number_format = cell.fmt
            _px_style(x, cell)
        for (r1, c1, r2, c2) in sh.merges:
            ws.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
        for c, w in sh.widths.items():
            ws.column_dimensions[get_column_letter(c)].width = w
        if sh.hidden:
            ws.sheet_state = "hidden"
    if active is None:
        active = next(i for i, s in enumerate(sheets) if not s.hidden)
    wb.active = active
    for i, ws in enumerate(wb.worksheets):
        ws.sheet_view.tabSelected = i == active
    wb.properties.creator = "长沙县人大常委会联工委"
    wb.properties.created = dt.datetime(*FIXED_TIME)
    buf = io.BytesIO()
    wb.save(buf)
    Path(path).write_bytes(_normalize_zip(buf.getvalue()))


_XLWT_STYLES: dict = {}


def _xs(cell: Cell):
    key = (cell.style, cell.fmt)
    if key not in _XLWT_STYLES:
        font = "font: name 宋体, height 200"
        spec = {
            "title": "font: name 宋体, height 320, bold on; align: horiz center, vert center",
            "header": font + ", bold on; align: horiz center, vert center, wrap on; "
                             "borders: left thin, right thin, top thin, bottom thin",
            "data": font + "; borders: left thin, right thin, top thin, bottom thin",
        }.get(cell.style, font)
        _XLWT_STYLES[key] = xlwt.easyxf(spec, num_format_str=cell.fmt or "General")
    return _XLWT_STYLES[key]


def save_xls_xlwt(sheets: list[Sheet], path: Path) -> None:
    wb = xlwt.Workbook(encoding="utf-8")
    active = next(i for i, s in enumerate(sheets) if not s.hidden)
    for idx, sh in enumerate(sheets):
        ws = wb.add_sheet(sh.name, cell_overwrite_ok=True)
        if sh.hidden:
            ws.visibility = 1
        ws.set_selected(idx == active)
        tops, covered = {}, set()
        for (r1, c1, r2, c2) in sh.merges:
            tops[(r1, c1)] = (r2, c2)
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    if (r, c) != (r1, c1):
                        covered.add((r, c))
        for (r, c), cell in sorted(sh.cells.items()):
            if (r, c) in covered:
                continue
            v = cell.value
            if isinstance(v, str) and v.startswith("#"):
                raise ValueError(f"xlwt writer: no error values ({sh.name}!{a1(r, c)})")
            if isinstance(v, str) and v.startswith("="):
                v = xlwt.Formula(v[1:])   # xlwt saves an empty result: nothing computed
            if (r, c) in tops:
                r2, c2 = tops[(r, c)]
                ws.write_merge(r - 1, r2 - 1, c - 1, c2 - 1, v, _xs(cell))
            else:
                ws.write(r - 1, c - 1, v, _xs(cell))
        for c, w in sh.widths.items():
            ws.col(c - 1).width = int(256 * w * 1.2)
    wb.active_sheet = active
    wb.save(str(path))


LO_PROFILE = Path(tempfile.gettempdir()) / "liaison-tools-lo-profile"
LO_FILTERS = {"xls": "xls:MS Excel 97", "ods": "ods:calc8", "xlsx": "xlsx:Calc MS Excel 2007 XML",
              "xlsm": "xlsm:Calc MS Excel 2007 VBA XML", "csv": "csv", "docx": "docx:MS Word 2007 XML",
              "pdf": "pdf"}


def lo_convert(src: Path, fmt: str, dest: Path) -> None:
    """soffice --headless --convert-to FMT; formulas get cached values on the way."""
    with tempfile.TemporaryDirectory() as td:
        cmd = ["soffice", f"-env:UserInstallation=file://{LO_PROFILE}", "--headless",
               "--convert-to", LO_FILTERS[fmt], "--outdir", td, str(src)]
        p = subprocess.run(cmd, capture_output=True, text=True)
        out = Path(td) / (Path(src).stem + "." + fmt)
        if p.returncode != 0 or not out.exists():
            raise RuntimeError(f"LibreOffice conversion failed: {' '.join(cmd)}\n{p.stdout}{p.stderr}")
        if fmt in ("xlsx", "xlsm", "ods", "docx"):
            Path(dest).write_bytes(_normalize_zip(out.read_bytes()))
        else:
            shutil.move(str(out), str(dest))


def save_xlsx_xlsxwriter(sheets: list[Sheet], path: Path) -> None:
    """.xlsx by XlsxWriter: like Excel's own files, but every formula's saved result is 0 and the
    workbook asks to be recalculated when opened (fullCalcOnLoad)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False})
    wb.set_properties({"author": "长沙县人大常委会联工委", "created": dt.datetime(*FIXED_TIME)})
    formats: dict = {}

    def fmt(cell: Cell):
        key = (cell.style, cell.fmt)
        if key not in formats:
            props = {"font_name": "宋体", "font_size": 10}
            if cell.style == "title":
                props.update(font_size=16, bold=True, align="center", valign="vcenter")
            elif cell.style == "header":
                props.update(bold=True, align="center", valign="vcenter", text_wrap=True, border=1)
            elif cell.style == "data":
                props.update(border=1)
            if cell.fmt:
                props["num_format"] = cell.fmt
            formats[key] = wb.add_format(props)
        return formats[key]

    for sh in sheets:
        ws = wb.add_worksheet(sh.name)
        tops = {(r1, c1): (r2, c2) for (r1, c1, r2, c2) in sh.merges}
        covered = {(r, c) for (r1, c1, r2, c2) in sh.merges for r in range(r1, r2 + 1)
                   for c in range(c1, c2 + 1)} - set(tops)
        for (r, c), cell in sorted(sh.cells.items()):
            if (r, c) in covered:
                continue
            v = cell.value
            if (r, c) in tops:
                r2, c2 = tops[(r, c)]
                ws.merge_range(r - 1, c - 1, r2 - 1, c2 - 1, v, fmt(cell))
            elif isinstance(v, str) and v.startswith("="):
                ws.write_formula(r - 1, c - 1, v, fmt(cell))   # saved result: 0
            elif v is None:
                ws.write_blank(r - 1, c - 1, None, fmt(cell))
            elif isinstance(v, dt.datetime):
                ws.write_datetime(r - 1, c - 1, v, fmt(cell))
            elif isinstance(v, (int, float)):
                ws.write_number(r - 1, c - 1, v, fmt(cell))
            else:
                ws.write_string(r - 1, c - 1, v, fmt(cell))
        for c, w in sh.widths.items():
            ws.set_column(c - 1, c - 1, w)
        if sh.hidden:
            ws.hide()
    wb.close()


def write_return(sheets: list[Sheet], path: Path, writer: str, epoch1904: bool = False) -> None:
    """writer: openpyxl (.xlsx) | xlwt (.xls) | xlsxwriter (.xlsx, formulas saved as 0 with
    recalculate-on-open) | libreoffice (any ext: openpyxl xlsx, then convert).
    epoch1904: openpyxl only, dates in the 1904 date system."""
    path = Path(path)
    if writer == "openpyxl":
        save_xlsx(sheets, path, epoch1904=epoch1904)
    elif writer == "xlsxwriter":
        save_xlsx_xlsxwriter(sheets, path)
    elif writer == "xlwt":
        save_xls_xlwt(sheets, path)
    elif writer == "libreoffice":
        fmt = path.suffix.lstrip(".").lower()
        with tempfile.TemporaryDirectory() as td:
            src = Path(td) / ("source.xlsx")
            save_xlsx(sheets, src)
            lo_convert(src, fmt, path)
    else:
        raise ValueError(writer)


# ----------------------------------------------------------------------------- verification

def _same(expected: Any, got: Any) -> bool:
    if expected is None or expected == "":
        return got is None or got == ""
    if isinstance(expected, bool):
        return expected == got
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        return isinstance(got, (int, float)) and not isinstance(got, bool) and float(got) == float(expected)
    if isinstance(expected, dt.datetime):
        return isinstance(got, dt.datetime) and got == expected
    return expected == got


def verify(sheets: list[Sheet], path: Path, writer: str) -> list[str]:
    """Read the file back (openpyxl directly, or LibreOffice -> xlsx first) and compare every cell
    with the model. Formula cells: the openpyxl-written file must hold the formula text (no cached
    value); files that went through LibreOffice must show the cached value (`expect`)."""
    path = Path(path)
    problems = []
    direct = writer in ("openpyxl", "xlsxwriter")
    with tempfile.TemporaryDirectory() as td:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            readable = path
        else:
            readable = Path(td) / "roundtrip.xlsx"
            lo_convert(path, "xlsx", readable)
        wb = openpyxl.load_workbook(readable, data_only=not direct)
        names = [ws.title for ws in wb.worksheets]
        if names != [s.name for s in sheets]:
            return [f"{path.name}: sheets {names} != {[s.name for s in sheets]}"]
        for sh, ws in zip(sheets, wb.worksheets):
            if (ws.sheet_state != "visible") != sh.hidden:
                problems.append(f"{path.name}!{sh.name}: hidden state {ws.sheet_state}")
            covered = set()
            for (r1, c1, r2, c2) in sh.merges:
                covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)} - {(r1, c1)}
            merged = {str(m) for m in ws.merged_cells.ranges}
            for (r1, c1, r2, c2) in sh.merges:
                ref = f"{a1(r1, c1)}:{a1(r2, c2)}"
                if ref not in merged:
                    problems.append(f"{path.name}!{sh.name}: merge {ref} missing")
            seen = set()
            for row in ws.iter_rows():
                for x in row:
                    if x.value is None:
                        continue
                    seen.add((x.row, x.column))
            for (r, c) in seen - set(sh.cells) - covered:
                problems.append(f"{path.name}!{sh.name}!{a1(r, c)}: unexpected {ws.cell(r, c).value!r}")
            for (r, c), cell in sh.cells.items():
                if (r, c) in covered:
                    continue
                got = ws.cell(row=r, column=c).value
                exp = cell.value
                if isinstance(exp, str) and exp.startswith("=") and not direct:
                    exp = cell.expect
                if isinstance(exp, dt.date) and not isinstance(exp, dt.datetime):
                    exp = dt.datetime(exp.year, exp.month, exp.day)
                if not _same(exp, got):
                    problems.append(f"{path.name}!{sh.name}!{a1(r, c)}: expected {exp!r}, got {got!r}")
                if cell.fmt and isinstance(exp, dt.datetime):
                    fmt = ws.cell(row=r, column=c).number_format
                    if not ws.cell(row=r, column=c).is_date:
                        problems.append(f"{path.name}!{sh.name}!{a1(r, c)}: not a date cell ({fmt})")
    return problems


def file_is_tiny(path: Path, limit: int = 16_000) -> bool:
    return os.path.getsize(path) <= limit


def sync_tree(src: Path, dst: Path) -> list[str]:
    """Make dst hold exactly the files of src (generated in a scratch folder first): files whose
    bytes differ are replaced atomically (write to a temporary name, rename), files no longer
    generated are removed, unchanged files are left alone. So a folder is never seen half-written
    (e.g. by a commit taken while the generator runs) and re-runs touch nothing when nothing changed.
    Returns the relative paths that changed."""
    src, dst = Path(src), Path(dst)
    changed = []
    want = {p.relative_to(src) for p in src.rglob("*") if p.is_file()}
    for rel in sorted(want):
        data = (src / rel).read_bytes()
        target = dst / rel
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        changed.append(str(rel))
    if dst.exists():
        for p in sorted(dst.rglob("*"), reverse=True):
            rel = p.relative_to(dst)
            if p.is_file() and rel not in want:
                p.unlink()
                changed.append(f"{rel} (removed)")
            elif p.is_dir() and not any(p.iterdir()) and not (src / rel).is_dir():
                p.rmdir()
    return changed
