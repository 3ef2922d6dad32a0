#!/usr/bin/env python3.11
"""Sample monthly returns for the 18 units of config/changsha.toml: input/2022-05 and input/2022-06.

    python3.11 tools/samples/make_samples.py            # writes both months, verifies, prints totals
    python3.11 tools/samples/make_samples.py --no-verify

Figures are seeded (deterministic). The May county totals are fixed by the seed bulletin:
1160 deputies (all five levels), 7237 voters received, 122 publicity sessions, 563 suggestions
collected, 123 problems solved, 125 stations. June is May ±20 % per station.
Each file is a valid, error-free return; the layouts are untidy in the ways SPEC §3 allows
(see tools/samples/README.md for the list per file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "fixtures"))
import returnkit as rk  # noqa: E402
from returnkit import V, coerced  # noqa: E402
import ledger_samples as ls  # noqa: E402

SEED = 20220515
MAY_TARGETS = {
    # deputies by level: national deputies are rare, most are county and township deputies
    "deputies_national": 3, "deputies_provincial": 14, "deputies_municipal": 58,
    "deputies_county": 305, "deputies_township": 780,        # = 1160
    "voters_received": 7237, "publicity_sessions": 122,
    "suggestions_collected": 563, "problems_solved": 123,
}
assert sum(MAY_TARGETS[m] for m in rk.DEPUTY_METRICS) == 1160

SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅建国志文斌辉力宇浩俊峰波春燕琴云莉"


# ----------------------------------------------------------------------------- figures

def largest_remainder(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    n = len(weights)
    rest = total - minimum * n
    assert rest >= 0
    s = sum(weights)
    raw = [rest * w / s for w in weights]
    out = [int(x) for x in raw]
    left = rest - sum(out)
    order = sorted(range(n), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:left]:
        out[i] += 1
    return [o + minimum for o in out]


def sprinkle(rng: random.Random, total: int, weights: list[float], caps: list[int]) -> list[int]:
    out = [0] * len(weights)
    for _ in range(total):
        cand = [i for i in range(len(weights)) if out[i] < caps[i]]
        i = rng.choices(cand, weights=[weights[j] for j in cand])[0]
        out[i] += 1
    return out


def may_figures(rng: random.Random) -> list[dict]:
    """One dict per station of the county (register order): unit, name, metric values."""
    st = [(u, name) for u in rk.UNITS for name in u["stations"]]
    assert len(st) == 125
    n = len(st)
    size = [rng.uniform(0.6, 1.5) for _ in range(n)]
    urban = [1.35 if u["kind"] == "街道" else 1.0 for u, _ in st]
    rows = [{"unit": u["id"], "name": name} for u, name in st]
    T = MAY_TARGETS
    town = largest_remainder(T["deputies_township"], [s * rng.uniform(0.8, 1.2) for s in size], minimum=2)
    county = largest_remainder(T["deputies_county"], [s * rng.uniform(0.5, 1.5) for s in size])
    muni = sprinkle(rng, T["deputies_municipal"], [s * u for s, u in zip(size, urban)], [3] * n)
    prov = sprinkle(rng, T["deputies_provincial"], [s * u for s, u in zip(size, urban)], [1] * n)
    nat = sprinkle(rng, T["deputies_national"], size, [1] * n)
    for i, r in enumerate(rows):
        r.update(deputies_national=nat[i], deputies_provincial=prov[i], deputies_municipal=muni[i],
                 deputies_county=county[i], deputies_township=town[i])
    dep = [sum(r[m] for m in rk.DEPUTY_METRICS) for r in rows]
    voters = largest_remainder(T["voters_received"], [d * u * rng.uniform(0.6, 1.4) for d, u in zip(dep, urban)])
    publ = sprinkle(rng, T["publicity_sessions"], [d for d in dep], [3] * n)
    sugg = largest_remainder(T["suggestions_collected"], [v * rng.uniform(0.7, 1.3) for v in voters])
    solved = sprinkle(rng, T["problems_solved"], [s + 0.5 for s in sugg], sugg)
    for i, r in enumerate(rows):
        r.update(voters_received=voters[i], publicity_sessions=publ[i],
                 suggestions_collected=sugg[i], problems_solved=solved[i])
        methods(rng, r)
    return rows


def methods(rng: random.Random, r: dict) -> None:
    d = sum(r[m] for m in rk.DEPUTY_METRICS)
    if d == 0:
        for m in rk.METHOD_METRICS:
            r[m] = 0
        return
    r["method_reception"] = max(1, round(d * rng.uniform(0.25, 0.55)))
    r["method_household"] = round(d * rng.uniform(0.1, 0.45))
    r["method_supervision"] = rng.randint(0, 3)
    r["method_help"] = min(r["problems_solved"] + rng.randint(0, 2), rng.randint(0, 6))
    r["method_report"] = 1 if rng.random() < 0.2 else 0


def june_figures(rng: random.Random, may: list[dict]) -> list[dict]:
    out = []
    for m in may:
        r = {"unit": m["unit"], "name": m["name"]}
        for k in rk.DEPUTY_METRICS + rk.SINGLE_METRICS:
            r[k] = max(0, round(m[k] * rng.uniform(0.8, 1.2)))
        if m["deputies_national"] and rng.random() < 0.4:
            r["deputies_national"] = 0            # national deputies come and go
        r["deputies_township"] = max(r["deputies_township"], 1)
        r["problems_solved"] = min(r["problems_solved"], r["suggestions_collected"])
        methods(rng, r)
        out.append(r)
    return out


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def phone(rng: random.Random) -> str:
    return f"0731-840{rng.randint(10000, 99999)}" if rng.random() < 0.6 else f"13{rng.randint(100000000, 999999999)}"


# ----------------------------------------------------------------------------- layouts per unit

def period_text(style: str, y: int, m: int):
    return {
        "dash": f"{y}-{m:02d}", "dot": f"{y}.{m}", "cn": f"{y}年{m}月", "cn0": f"{y}年{m:02d}月",
        "cnfen": f"{y}年{m}月份",
    }[style]


DATE_FMT_CN = 'yyyy"年"m"月"'

# unit id -> layout description. keys:
#   file: file name pattern ({m} month, {mm} 2-digit month), writer, labels (colon|right|below|none),
#   unit_text, period (style or "date"/"none"), colon, header, top/left, extras...
LAYOUTS = {
    "xingsha": dict(file="星沙街道{m}月报表(修改).xlsx", writer="openpyxl", labels="colon",
                    unit_text="长沙县星沙街道", period="cn", instructions=True,
                    note="注：本月15日为代表进站日，各站均已按要求开展活动。",
                    untidy="unit by alias 长沙县星沙街道; 填报说明 sheet before the data sheet; note line 注：… after 合计"),
    "xianglong": dict(file="湘龙街道办事处{y}年{m}月进站活动月报表.xlsx", writer="openpyxl", labels="right",
                      unit_text="湘龙街道办事处", period="dash",
                      untidy="unit by alias 湘龙街道办事处; label values in the next non-empty cell to the right "
                             "(one empty cell between); period 2022-05"),
    "quantang": dict(file="泉塘街道-进站月报-{y}-{mm}.xlsx", writer="openpyxl", labels="below",
                     unit_text="泉塘街道人大工委", period="date",
                     untidy="unit by alias 泉塘街道人大工委; label values in the row below the labels; "
                            "period as an Excel date cell (yyyy\"年\"m\"月\")"),
    "langli": dict(file="榔梨街道.xls", writer="xlwt", labels="colon", colon=":", unit_text="榔梨街道",
                   period="dot", file_june="榔梨街道(6月).xls",
                   untidy=".xls written by xlwt; ascii colons; period 2022.5"),
    "changlong": dict(file="长龙街道{m}月进站活动统计.ods", writer="libreoffice", labels="colon",
                      unit_text="长龙街道", period="cn", top=2, left=2, total_mode="formula",
                      untidy=".ods via LibreOffice; table shifted: title at B2, labels row 3, header at B4:T5; "
                             "合计 as SUM formulas with cached values"),
    "huangxing": dict(file="黄兴镇{y}年{m}月份进站活动月报.xls", writer="libreoffice", labels="colon",
                      unit_text="黄兴镇", period="cnfen", total_mode="formula", total_at="seq_merged",
                      untidy=".xls via LibreOffice; period 2022年5月份; 合计 merged over 序号..进站日期, "
                             "SUM formulas with cached values"),
    "jiangbei": dict(file="江背镇进站活动月报表{y}年{mm}月.xlsx", writer="openpyxl", labels="colon",
                     unit_text="江背镇", period="cn0", header="one_row",
                     one_row={"deputies_national": "进站代表人数-全国", "deputies_provincial": "进站代表人数-省",
                              "deputies_municipal": "进站代表人数-市", "deputies_county": "进站代表人数-县",
                              "deputies_township": "进站代表人数-镇", "method_reception": "活动方式/接待",
                              "method_household": "活动方式/入户", "method_supervision": "活动方式/督事",
                              "method_help": "活动方式/帮忙", "method_report": "活动方式/述职"},
                     untidy="one-row header (进站代表人数-全国 …, 活动方式/入户 …); period 2022年05月"),
    "huanghua": dict(file="黄花镇 {m}月.xlsx", writer="openpyxl", labels="colon", unit_text="黄花镇",
                     period="cn", header="two_repeated", placeholder=True,
                     labels_over={"voters_received": "接待走访\n选民(人次)", "publicity_sessions": "政策法规\n宣讲(场次)",
                                  "station": "工作站\n名称"},
                     group_over={"deputies": "进站代表\n人数(人)"},
                     untidy="two-row header with the group label repeated in every column (no merges); "
                            "line breaks inside header cells; one 0 written as the placeholder 无 (coerced_value)"),
    "chunhua": dict(file="春华镇（{y}年{m}月）.xlsx", writer="openpyxl", labels="colon", unit_text="春华镇",
                    period="cn", blank_after={2}, coerce="chunhua",
                    untidy="blank row between stations 3 and 4; one number with a measure word (…人) and one "
                           "number stored as text (coerced_value ×2)"),
    "guoyuan": dict(file="果园镇进站活动月报.xls", writer="xlwt", labels="colon", unit_text="果园镇",
                    period="cn", header="one_row", file_june="果园镇进站活动月报(6月).xls",
                    one_row={"deputies_national": "全国人大代表", "deputies_provincial": "省人大代表",
                             "deputies_municipal": "市人大代表", "deputies_county": "县人大代表",
                             "deputies_township": "镇人大代表", "method_reception": "接待",
                             "method_household": "入户", "method_supervision": "督事", "method_help": "帮忙",
                             "method_report": "述职"},
                    untidy=".xls written by xlwt; one-row header with config aliases (全国人大代表 …) and "
                           "method columns named alone (接待, 入户, 督事, 帮忙, 述职)"),
    "lukou": dict(file="路口镇.ods", writer="libreoffice", labels="right", unit_text="路口镇人民政府",
                  unit_label="单位", period="date", date_fmt="yyyy-mm-dd", instructions=True,
                  total_mode="formula", file_june="路口镇(6月).ods",
                  untidy=".ods via LibreOffice; unit label 单位 with alias 路口镇人民政府 to the right; period as "
                         "an Excel date (yyyy-mm-dd, the 1st of the month); 填报说明 sheet first; 合计 formulas"),
    "gaoqiao": dict(file="高桥镇{y}.{m}进站活动.xlsx", writer="openpyxl", labels="colon", unit_text="高桥镇",
                    period="dot", coerce="gaoqiao",
                    untidy="one figure in full-width digits (coerced_value); period 2022.5"),
    "jinjing": dict(file="金井镇 进站活动 {y}.{m}.xlsx", writer="openpyxl", labels="colon", unit_text="金井镇",
                    period="none",
                    untidy="no 报送月份 label and no period in the title: the period comes from the file name"),
    "fulin": dict(file="福临镇{m}月份报表.xlsx", writer="openpyxl", labels="colon", unit_text="福临镇",
                  period="cnfen", reorder=True, note="注：督事指代表督促解决群众反映问题的次数。",
                  untidy="columns in a different order from the template (methods before the single metrics, "
                         "levels 镇→全国, 备注 before 联络员); note line after 合计"),
    "qingshanpu": dict(file="青山铺镇进站活动月报（{m}月）.xls", writer="libreoffice", labels="colon",
                       unit_text="青山铺镇", period="cn", header="one_row", total_mode="formula",
                       one_row={"deputies_national": "进站代表人数(全国)", "deputies_provincial": "进站代表人数(省)",
                                "deputies_municipal": "进站代表人数(市)", "deputies_county": "进站代表人数(县)",
                                "deputies_township": "进站代表人数(镇)", "method_reception": "活动方式(接待)",
                                "method_household": "活动方式(入户)", "method_supervision": "活动方式(督事)",
                                "method_help": "活动方式(帮忙)", "method_report": "活动方式(述职)"},
                       untidy=".xls via LibreOffice; one-row header 进站代表人数(全国) …; 合计 formulas"),
    "ansha": dict(file="安沙镇{y}年{m}月.xlsx", writer="openpyxl", labels="colon", unit_text="安沙镇",
                  unit_label="镇街", period="cnfen", top=3, left=3, header="two_top",
                  untidy="table starts at row 3, column C (header at C5); unit label 镇街; header with "
                         "single columns only in the upper header row (not merged down); period 2022年5月份"),
    "beishan": dict(file="北山镇月报.xlsx", writer="openpyxl", labels="right", unit_text="北山镇",
                    period="date", file_june="北山镇月报(6月).xlsx", total="总计",
                    untidy="label values to the right; period as an Excel date cell (yyyy\"年\"m\"月\"); "
                           "总计 instead of 合计"),
    "kaihui": dict(file="开慧镇进站活动月报表.ods", writer="libreoffice", labels="colon", unit_text="开慧镇",
                   period="dash", total_mode="formula", file_june="开慧镇进站活动月报表(6月).ods",
                   untidy=".ods via LibreOffice, tidy template; period 2022-05; 合计 formulas"),
}
assert set(LAYOUTS) == set(rk.UNIT)

INSTRUCTIONS = [
    "填报说明",
    "1. 每月15日为代表进站日，请各镇街于次月5日前报送本表。",
    "2. 进站代表人数按代表层级分别填写，同一代表兼任多级的按最高层级统计。",
    "3. 接待走访选民、政策法规宣讲、收集意见建议、帮助解决问题均填写阿拉伯数字，不填单位。",
    "4. 活动方式：接待、入户、督事、帮忙、述职，填写开展次数。",
    "5. 合计行请勿修改公式。",
]

REMARKS = ["", "", "", "", "集中进站", "联合督事", "入户走访", "", "述职评议", ""]


def label_rows(lay: dict, unit_text: str, period, rng: random.Random, y: int, m: int) -> list:
    colon = lay.get("colon", "：")
    ulab = lay.get("unit_label", "填报单位")
    filler = f"{y}年{m + 1 if m < 12 else 1}月{rng.randint(2, 5)}日" if lay["period"] != "none" else None
    who, tel = person(rng), phone(rng)
    fmt = lay.get("date_fmt", DATE_FMT_CN) if isinstance(period, dt.datetime) else None
    if lay["labels"] == "colon":
        row = [(0, f"{ulab}{colon}{unit_text}", "unit")]
        if period is not None:
            if isinstance(period, dt.datetime):
                row += [(5, f"报送月份{colon}"), (6, period, "period", fmt)]
            else:
                row.append((5, f"报送月份{colon}{period}", "period"))
        row += [(10, f"填报人{colon}{who}"), (13, f"联系电话{colon}{tel}"),
                (16, f"填报日期{colon}{filler or ''}")]
        return [row]
    if lay["labels"] == "right":
        row = [(0, ulab), (2, unit_text, "unit")]
        if period is not None:
            row += [(5, "报送月份"), (7, period, "period", fmt)]
        row += [(10, "填报人"), (11, who), (13, "联系电话"), (14, tel), (16, "填报日期")]
        if filler:
            row.append((17, filler))
        return [row]
    if lay["labels"] == "below":
        a = [(0, ulab), (10, "填报人"), (13, "联系电话"), (16, "填报日期")]
        b = [(0, unit_text, "unit"), (10, who), (13, tel)]
        if filler:
            b.append((16, filler))
        if period is not None:
            a.append((5, "报送月份"))
            b.append((5, period, "period", fmt))
        return [a, b]
    raise ValueError(lay["labels"])


def reorder_cols() -> list:
    return (["seq", "station", "remark", "liaison", "date"] + list(reversed(rk.DEPUTY_METRICS))
            + rk.METHOD_METRICS + rk.SINGLE_METRICS)


def build_unit(uid: str, fig: list[dict], y: int, m: int, rng: random.Random):
    """-> (file name, writer, sheets, station rows as written, untidy text)"""
    lay = LAYOUTS[uid]
    unit = rk.UNIT[uid]
    rows = []
    for i, f in enumerate(fig):
        r = {k: f[k] for k in rk.METRICS}
        r["name"] = f["name"]
        r["liaison"] = person(rng)
        r["date"] = f"{m}月15日" if i % 3 else (dt.datetime(y, m, 15), "m月d日")
        r["remark"] = rng.choice(REMARKS) or None
        rows.append(r)
    # coerced values: a few cells in three files
    if lay.get("coerce") == "chunhua":
        r = rows[1]
        r["voters_received"] = coerced(f"{r['voters_received']}人", r["voters_received"])
        r = rows[3]
        r["suggestions_collected"] = coerced(str(r["suggestions_collected"]), r["suggestions_collected"])
    if lay.get("coerce") == "gaoqiao":
        r = rows[2]
        r["voters_received"] = coerced(rk.fullwidth_digits(r["voters_received"]), r["voters_received"])
    if lay.get("placeholder"):
        done = False
        for r in rows:
            for k in ("publicity_sessions", "method_report", "method_supervision"):
                if not done and r[k] == 0:
                    r[k] = coerced("无", 0)
                    done = True
        assert done
    if lay["period"] == "date":
        period = dt.datetime(y, m, 1)
    elif lay["period"] == "none":
        period = None
    else:
        period = period_text(lay["period"], y, m)
    cols = reorder_cols() if lay.get("reorder") else list(rk.TEMPLATE_COLS)
    labels = dict(lay.get("labels_over", {}))
    if lay.get("header") == "one_row":
        labels.update(lay["one_row"])
    notes = [lay["note"]] if lay.get("note") else []
    spec = rk.ReturnSpec(
        rows=rows, top=lay.get("top", 1), left=lay.get("left", 1),
        pre_rows=label_rows(lay, lay["unit_text"], period, rng, y, m),
        cols=cols, header=lay.get("header", "two_merged"), labels=labels,
        group_labels=lay.get("group_over", {}), blank_after=lay.get("blank_after", set()),
        total=lay.get("total", "合计"), total_at=lay.get("total_at", "station"),
        total_mode=lay.get("total_mode", "number"), notes=notes)
    sheets = []
    if lay.get("instructions"):
        ins = rk.Sheet("填报说明")
        for i, line in enumerate(INSTRUCTIONS):
            ins.put(i + 1, 1, line, style="title" if i == 0 else "plain")
        ins.widths[1] = 70
        sheets.append(ins)
    sheets.append(rk.render(spec))
    ledger = ls.ledger_sheet(uid, y, m)
    if ledger is not None:
        sheets.insert(0, ledger) if ls.LEDGER_FIRST.get(uid) else sheets.append(ledger)
    pattern = lay["file"] if m == 5 else lay.get("file_june", lay["file"])
    name = pattern.format(y=y, m=m, mm=f"{m:02d}")
    if m != 5 and name == lay["file"].format(y=y, m=5, mm="05"):
        raise AssertionError(f"June file name of {uid} does not differ from May")
    assert all(s in unit["stations"] for s in (r["name"] for r in rows))
    return name, lay["writer"], sheets, rows, lay["untidy"]


def sanity(fig: list[dict]) -> None:
    """Plausibility rules every station row must keep (so the samples raise no warnings)."""
    for f in fig:
        dep = sum(f[m] for m in rk.DEPUTY_METRICS)
        where = f"{f['unit']}/{f['name']}"
        assert dep >= 1, f"{where}: no deputy"
        assert f["problems_solved"] <= f["suggestions_collected"], f"{where}: solved > collected"
        assert all(f[m] >= 0 for m in rk.METRICS), f"{where}: negative"
        assert f["voters_received"] >= 1, f"{where}: no voters"


WARNINGS: list = []   # (period, file, code, cell, value) the checks should report


def write_month(folder: Path, fig: list[dict], y: int, m: int, rng: random.Random, verify: bool) -> dict:
    """Writes the month's 18 returns into a scratch folder, verifies them, then syncs the folder
    (only changed files are replaced, stale files removed; nothing else is written there)."""
    sanity(fig)
    per_unit = {}
    problems = []
    with tempfile.TemporaryDirectory() as td:
        scratch = Path(td)
        for u in rk.UNITS:
            uf = [f for f in fig if f["unit"] == u["id"]]
            name, writer, sheets, rows, _ = build_unit(u["id"], uf, y, m, rng)
            path = scratch / name
            rk.write_return(sheets, path, writer)
            if verify:
                problems += rk.verify(sheets, path, writer)
            per_unit[u["id"]] = (name, rk.station_totals(rows), len(rows))
            data = next(s for s in sheets if any(isinstance(k, tuple) and k[0] == "m" for k in s.tags))
            for i, r in enumerate(rows):
                for k in rk.METRICS:
                    if isinstance(r.get(k), V) and r[k].warn:
                        WARNINGS.append((folder.name, name, r[k].warn, data.tags[("m", i, k)], repr(r[k].shown)))
        if problems:
            print("\n".join(problems), file=sys.stderr)
            raise SystemExit(f"verification failed for {folder}")
        changed = rk.sync_tree(scratch, folder)
    print(f"{folder}: {len(changed)} file(s) changed" + (": " + ", ".join(changed) if changed else ""))
    return per_unit


SHOW = ["deputies_total"] + rk.DEPUTY_METRICS + rk.SINGLE_METRICS + rk.METHOD_METRICS
SHORT = {"deputies_total": "代表", "deputies_national": "全国", "deputies_provincial": "省",
         "deputies_municipal": "市", "deputies_county": "县", "deputies_township": "镇",
         "voters_received": "选民", "publicity_sessions": "宣讲", "suggestions_collected": "意见",
         "problems_solved": "解决", "method_reception": "接待", "method_household": "入户",
         "method_supervision": "督事", "method_help": "帮忙", "method_report": "述职"}


def print_totals(label: str, per_unit: dict) -> dict:
    print(f"\n== {label} ==")
    print(f"{'unit':<11}{'站':>3}" + "".join(f"{SHORT[k]:>5}" for k in SHOW) + "  file")
    county = {k: 0 for k in SHOW}
    n = 0
    for uid, (name, t, ns) in per_unit.items():
        n += ns
        for k in SHOW:
            county[k] += t[k]
        print(f"{uid:<11}{ns:>4}" + "".join(f"{t[k]:>6}" for k in SHOW) + f"  {name}")
    print(f"{'COUNTY':<11}{n:>4}" + "".join(f"{county[k]:>6}" for k in SHOW))
    county["stations"] = n
    return county


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(rk.ROOT / "input"), help="input folder (default: input/)")
    ap.add_argument("--no-verify", action="store_true", help="skip the read-back check")
    args = ap.parse_args()
    rng = random.Random(SEED)
    may = may_figures(rng)
    june = june_figures(rng, may)
    ls.plan(may, june)
    out = Path(args.out)
    may_units = write_month(out / "2022-05", may, 2022, 5, random.Random(SEED + 5), not args.no_verify)
    june_units = write_month(out / "2022-06", june, 2022, 6, random.Random(SEED + 6), not args.no_verify)
    c5 = print_totals("2022-05", may_units)
    print_totals("2022-06", june_units)
    want = {"deputies_total": 1160, "voters_received": 7237, "publicity_sessions": 122,
            "suggestions_collected": 563, "problems_solved": 123, "stations": 125}
    bad = {k: (c5[k], v) for k, v in want.items() if c5[k] != v}
    if bad:
        raise SystemExit(f"May county totals wrong: {bad}")
    print("\nExpected warnings (no errors expected in any sample):")
    for w in WARNINGS:
        print("  {} {} {} {} {}".format(*w))
    ls.print_summary()
    print("\nMay county totals match the bulletin: " + ", ".join(f"{k}={v}" for k, v in want.items()))


if __name__ == "__main__":
    main()
