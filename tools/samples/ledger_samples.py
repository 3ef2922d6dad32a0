"""The suggestions ledgers (意见建议办理台账) of the sample returns, May and June 2022.

Each unit's ledger is a small model: a few items collected in February–April and still open at
April's end, then every suggestion collected in May and in June as one item each, so that the
items collected in a month equal the unit's 收集意见建议 and the items solved in a month equal
its 帮助解决问题 (jinjing's June ledger leaves one item out: one ledger_count_mismatch warning).
Two units (fulin, kaihui) send no ledger. Some units send their whole cumulative ledger, the
others the month's items plus those open at the previous month's end. The forms are untidy in
the ways the ledger reader allows (sheet names, offsets, header aliases, date spellings, status
aliases, blank rows, a repeated row). The month-end state of every item is written to
tools/samples/ledger_expected.json for the tests.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from dataclasses import replace
from pathlib import Path

import returnkit as rk
import make_ledger_fixtures as lf

SEED = 20220601
NO_LEDGER = {"fulin", "kaihui"}
CUMULATIVE = {"xingsha", "langli", "changlong", "huangxing", "gaoqiao"}
MISMATCH = ("jinjing", 6)          # this unit's June ledger leaves out one open June item
LEDGER_FIRST = {"quantang": True}
STATUS_ALIASES = {"已解决": ["已办结", "解决"], "已答复": ["已回复"], "正在办理": ["办理中", "在办"],
                  "未办理": ["未办", "待办"]}
MARK_HEADERS = {"id": "编号*", "collected": "收集日期（年/月/日）", "content": "意见建议\n内容",
                "status": "办理状态(必填)", "category": "类别【下拉选择】"}
FORMS = {
    "xingsha": dict(),
    "xianglong": dict(sheet_name="台账", top=3, left=2, title=None, headers=lf.ALIAS_HEADERS,
                      cols=lf.COLS, dates="dash"),
    "quantang": dict(sheet_name="Sheet2", title=None, dates="slash"),
    "langli": dict(),
    "changlong": dict(dates="rotate"),
    "huangxing": dict(aliases=True),
    "jiangbei": dict(dates="cn", blank_after={2, 5},
                     notes=["注：办理状态填写已解决、已答复、正在办理或未办理。"]),
    "huanghua": dict(dates="dot"),
    "chunhua": dict(headers=MARK_HEADERS),
    "guoyuan": dict(sheet_name="台账", dates="dash"),
    "lukou": dict(dates="cell", date_fmt='yyyy"年"m"月"d"日"'),
    "gaoqiao": dict(),
    "jinjing": dict(aliases=True),
    "qingshanpu": dict(repeat=True),
    "ansha": dict(top=4, left=3, title=None),
    "beishan": dict(),
}
TOPICS = [
    ("村组道路破损，雨天积水严重", "城乡建设", "县交通运输局"),
    ("小区路灯长期不亮", "城乡建设", "镇城建办"),
    ("老旧小区加装电梯推进慢", "城乡建设", "县住房城乡建设局"),
    ("农村自来水水压不足", "城乡建设", "县水务局"),
    ("低保申请审核进度慢", "民生保障", "镇社会事务办"),
    ("养老服务站缺少护理人员", "民生保障", "县民政局"),
    ("村卫生室药品不全", "民生保障", "县卫生健康局"),
    ("学校周边缺少接送车位", "民生保障", "县教育局"),
    ("农贸市场周边占道经营", "社会治理", "镇综合执法大队"),
    ("邻里纠纷调解不及时", "社会治理", "镇司法所"),
    ("河道垃圾清理不及时", "生态环境", "镇生态环境办"),
    ("养殖场异味扰民", "生态环境", "县生态环境分局"),
    ("农产品销售渠道少", "经济发展", "镇农业综合服务中心"),
    ("小微企业贷款难", "经济发展", "县金融办"),
    ("建议增设公交站点", "其他", ""),
]
OUT = Path(__file__).resolve().parent / "ledger_expected.json"

_ITEMS: dict = {}      # uid -> list of dicts (the model), filled by plan()
_SENT: dict = {}       # (uid, month) -> list of item ids sent that month


def _day(rng, a: dt.date, b: dt.date) -> dt.date:
    return a + dt.timedelta(days=rng.randint(0, (b - a).days))


def _end(m: int) -> dt.date:
    return dt.date(2022, 5, 31) if m == 5 else dt.date(2022, 6, 30)


def _start(m: int) -> dt.date:
    return dt.date(2022, m, 1)


def _sum(rows, uid, k):
    return sum(r[k] for r in rows if r["unit"] == uid)


def _new(rng, uid, ym, n, collected):
    st = rk.UNIT[uid]["stations"]
    content, cat, handler = TOPICS[rng.choice([0, 0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14])]
    people = lf.PEOPLE
    k = rng.randint(1, 2)
    return {"id": f"{uid[:2].upper()}-{ym}-{n:03d}", "collected": collected, "station": rng.choice(st),
            "deputies": rng.sample(people, k), "content": content, "category": cat, "handler": handler,
            "status": {}, "settled": {}}


def _settle(rng, it, m, status):
    a = max(it["collected"], _start(m))
    it["status"][m] = status
    it["settled"][m] = _day(rng, a, _end(m))


def _month(rng, uid, items, m, collected_n, solved_n):
    """Adds the month's items and moves the open ones: `solved_n` items solved in the month."""
    prev = [i for i in items if i["status"].get(m - 1, "正在办理") in ("正在办理", "未办理")]
    new = [_new(rng, uid, f"2022{m:02d}", n + 1, _day(rng, _start(m), _end(m) - dt.timedelta(days=3)))
           for n in range(collected_n)]
    for i in items:                                     # settled items stay settled
        if m - 1 in i["status"]:
            i["status"][m] = i["status"][m - 1]
            if m - 1 in i["settled"]:
                i["settled"][m] = i["settled"][m - 1]
    from_prev = min(len(prev) - 1, solved_n // 3 if m == 6 else min(1, solved_n - 1)) if prev else 0
    from_prev = max(0, from_prev)
    # the most recently collected open items are solved first: the oldest stay open (overdue)
    prev.sort(key=lambda i: i["collected"], reverse=True)
    for i in prev[:from_prev]:
        _settle(rng, i, m, "已解决")
    for i in new[: solved_n - from_prev]:
        _settle(rng, i, m, "已解决")
    for i in prev[from_prev:]:
        if rng.random() < 0.2:
            _settle(rng, i, m, "已答复")
        else:
            i["status"][m] = "正在办理" if rng.random() < 0.7 or i["status"].get(m - 1) == "正在办理" else "未办理"
    for i in new[solved_n - from_prev:]:
        if rng.random() < 0.15:
            _settle(rng, i, m, "已答复")
        else:
            i["status"][m] = "正在办理" if rng.random() < 0.6 else "未办理"
    items += new


def plan(may: list, june: list) -> None:
    """Builds every unit's ledger model from the month's figures (its own seeded random)."""
    for k, uid in enumerate(sorted(FORMS)):
        rng = random.Random(SEED + k)
        items = []
        for n in range(rng.randint(2, 4)):
            c = _day(rng, dt.date(2022, 2, 15), dt.date(2022, 4, 28))
            it = _new(rng, uid, f"2022{c.month:02d}", 90 + n, c)
            it["status"][4] = rng.choice(["正在办理", "未办理"])
            items.append(it)
        _month(rng, uid, items, 5, _sum(may, uid, "suggestions_collected"), _sum(may, uid, "problems_solved"))
        _month(rng, uid, items, 6, _sum(june, uid, "suggestions_collected"), _sum(june, uid, "problems_solved"))
        _ITEMS[uid] = items
        for m in (5, 6):
            if uid in CUMULATIVE:
                sent = [i for i in items if i["collected"] <= _end(m)]
            else:
                sent = [i for i in items if _start(m) <= i["collected"] <= _end(m)
                        or i["status"].get(m - 1, "正在办理") in ("正在办理", "未办理") and i["collected"] < _start(m)]
            if (uid, m) == MISMATCH:
                drop = next(i for i in reversed(sent) if i["collected"] >= _start(m) and i["status"][m] == "未办理")
                sent = [i for i in sent if i is not drop]
            _SENT[(uid, m)] = [i["id"] for i in sent]
    _write_expected()


def _state(i, m):
    return i["status"][m], i["settled"].get(m)


def _write_expected() -> None:
    """Each month's end state of every item the archive knows: the items sent that month or before."""
    out = {}
    for m in (5, 6):
        month = {}
        for uid, items in sorted(_ITEMS.items()):
            if uid in NO_LEDGER:
                continue
            known = set(_SENT[(uid, 5)]) | (set(_SENT[(uid, 6)]) if m == 6 else set())
            rows = []
            for i in items:
                if i["id"] not in known:
                    continue
                # an item not sent this month keeps the state it was last sent with
                last = m if i["id"] in _SENT[(uid, m)] else 5
                status, settled = _state(i, last)
                rows.append({"id": i["id"], "collected": i["collected"].isoformat(), "status": status,
                             "settled": settled.isoformat() if settled else None,
                             "category": i["category"], "station": i["station"]})
            month[uid] = rows
        out[f"2022-{m:02d}"] = month
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def ledger_sheet(uid: str, y: int, m: int):
    """The unit's ledger sheet for month m (None: the unit sends no ledger)."""
    if uid in NO_LEDGER:
        return None
    form = dict(FORMS[uid])
    aliases = form.pop("aliases", False)
    repeat = form.pop("repeat", False)
    by_id = {i["id"]: i for i in _ITEMS[uid]}
    items = []
    for n, iid in enumerate(_SENT[(uid, m)]):
        i = by_id[iid]
        status, settled = _state(i, m)
        it = lf.Item(i["id"], i["collected"], i["station"], list(i["deputies"]), i["content"], i["category"],
                     i["handler"], status, settled)
        if aliases:
            words = STATUS_ALIASES[status]
            it.shown["status"] = words[n % len(words)]
        items.append(it)
    if repeat and len(items) > 3:
        items.insert(3, replace(items[2], shown={}))
    return lf.render_ledger(lf.LedgerSpec(items=items, **form))


def print_summary() -> None:
    print("\nLedgers (items sent May / June; month-end state in tools/samples/ledger_expected.json):")
    for uid in sorted(_ITEMS):
        if uid in NO_LEDGER:
            print(f"  {uid:<11} no ledger (未报送台账)")
            continue
        kind = "cumulative" if uid in CUMULATIVE else "monthly"
        print(f"  {uid:<11} {kind:<10} {len(_SENT[(uid, 5)]):>3} / {len(_SENT[(uid, 6)]):>3}")
