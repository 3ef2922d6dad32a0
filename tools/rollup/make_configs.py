"""Writes the example roll-up configs config/changsha-city.toml (长沙市: its nine counties and
districts), config/zhuzhou-city.toml (株洲市: nine) and config/hunan.toml (湖南省: its fourteen
cities and prefectures), which share one block of tiers and metrics. Re-make with

    python3 tools/rollup/make_configs.py

It also writes tests/fixtures/rollup/province-two-counties.toml: the seed bulletin's own case, a
province compiling 长沙县 and 荷塘区 directly (the roll-up tests' config).

Each is a `kind = "rollup"` config: its units send the bundles of `liaison archive export`,
`liaison rollup` compiles them. Copy one and edit it like any config.
"""
import pathlib
from pathlib import Path

ROOT = pathlib.Path(__file__).resolve().parents[2]

HEAD = """# {title}
# 汇总配置(kind = "rollup"):各单位报来的是 liaison archive export 生成的上报数据包(.zip),
# 用 liaison --config {file} rollup 上报/2022-05 汇总。复制本文件、修改后使用。
# 由 tools/rollup/make_configs.py 生成。

[region]
name = "{name}"            # 行政区名称
scope = "{scope}"              # 简报、汇总表中对全区域的称呼
title = "{name}各{units_word}人大代表联系群众工作站进站活动汇总表"
kind = "rollup"             # 汇总各{units_word}上报的数据包,不读镇街报表
unit_word = "{units_word}"        # 汇总表、图表中对各单位的统称(各{units_word}、分{units_word})

[matching]
# 数据包中的行政区名称去掉这些前缀、后缀后与下面的单位名称、别名比对
unit_prefixes = {prefixes}
unit_suffixes = ["人大常委会", "人民代表大会常务委员会"]

[checks]
solved = "problems_solved"
collected = "suggestions_collected"

[briefing]
# 简报措辞,与县区的配置相同;{{scope}} 是"{scope}"。各{units_word}一段用它们自己配置中的称呼({own})。
headline = "{{month}}月份，{{scope}}共有{{deputies_total}}名各级人大代表进站开展活动，共接待和走访选民{{voters_received}}人次，开展政策、法规宣讲{{publicity_sessions}}场次，收集反馈意见建议{{suggestions_collected}}条，帮助群众解决困难和问题{{problems_solved}}个。"
missing = "本月{{units}}共{{count}}个{units_word}未上报。"
preliminary = "（初步数据：部分{units_word}未上报或上报的是初步数据，见各段说明。）"
refused = "本月{{units}}共{{count}}个{units_word}的数据包未通过核对，未计入本简报的数字。"
mom_partial = "与上月相比（同口径：两个月都计入的{{count}}个{units_word}），{{changes}}。"
ledger_missing = "{{units}}未报送意见建议办理台账，未计入以上数字。"

# 五级人大各一个层级:各{units_word}报来的代表人数按 tier 计入,不按层级的先后位置
# (荷塘区的"区"级代表计入 county 一列,与长沙县的"县"级代表同列)
"""

TIERS = [
    ("national", "全国"),
    ("provincial", "省"),
    ("municipal", "市"),
    ("county", "县（市、区）"),
    ("township", "乡镇"),
]

SINGLES = [
    ("voters_received", "接待走访选民", "人次"),
    ("publicity_sessions", "政策法规宣讲", "场次"),
    ("suggestions_collected", "收集意见建议", "条"),
    ("problems_solved", "帮助解决问题", "个"),
]

METHODS = [
    ("reception", "接待"),
    ("household", "入户"),
    ("supervision", "督事"),
    ("help", "帮忙"),
    ("report", "述职"),
]


def body():
    out = []
    for tid, label in TIERS:
        out.append(f'[[levels]]\nid = "{tid}"\nlabel = "{label}"\ntier = "{tid}"\n')
    out.append('[[groups]]\nid = "deputies"\nlabel = "进站代表人数"\nmeasure = "人"\n')
    out.append('[[groups]]\nid = "methods"\nlabel = "活动方式"\nmeasure = "次"\n')
    out.append("# 各指标与县区配置中的 id 相同;各级代表人数一列一级(按 tier)")
    for tid, label in TIERS:
        out.append(
            f'[[metrics]]\nid = "deputies_{tid}"\nlabel = "{label}"\ngroup = "deputies"\n'
            f'level = "{tid}"\nmeasure = "人"\n'
        )
    for mid, label, measure in SINGLES:
        out.append(f'[[metrics]]\nid = "{mid}"\nlabel = "{label}"\nmeasure = "{measure}"\n')
    for mid, label in METHODS:
        out.append(
            f'[[metrics]]\nid = "method_{mid}"\nlabel = "{label}"\ngroup = "methods"\nmeasure = "次"\n'
        )
    return "\n".join(out)


def units(rows, comment):
    out = [comment]
    for uid, name, kind, aliases in rows:
        a = ", ".join(f'"{x}"' for x in aliases)
        out.append(f'[[units]]\nid = "{uid}"\nname = "{name}"\nkind = "{kind}"\naliases = [{a}]\n')
    return "\n".join(out)


CHANGSHA = [
    ("furong", "芙蓉区", "区", []),
    ("tianxin", "天心区", "区", []),
    ("yuelu", "岳麓区", "区", []),
    ("kaifu", "开福区", "区", []),
    ("yuhua", "雨花区", "区", []),
    ("wangcheng", "望城区", "区", ["望城县"]),
    ("changsha-county", "长沙县", "县", []),
    ("liuyang", "浏阳市", "县级市", []),
    ("ningxiang", "宁乡市", "县级市", ["宁乡县"]),
]

ZHUZHOU = [
    ("hetang", "荷塘区", "区", []),
    ("lusong", "芦淞区", "区", []),
    ("shifeng", "石峰区", "区", []),
    ("tianyuan", "天元区", "区", []),
    ("lukou", "渌口区", "区", ["株洲县"]),
    ("liling", "醴陵市", "县级市", []),
    ("youxian", "攸县", "县", []),
    ("chaling", "茶陵县", "县", []),
    ("yanling", "炎陵县", "县", []),
]

HUNAN = [
    ("changsha", "长沙市", "市", []),
    ("zhuzhou", "株洲市", "市", []),
    ("xiangtan", "湘潭市", "市", []),
    ("hengyang", "衡阳市", "市", []),
    ("shaoyang", "邵阳市", "市", []),
    ("yueyang", "岳阳市", "市", []),
    ("changde", "常德市", "市", []),
    ("zhangjiajie", "张家界市", "市", []),
    ("yiyang", "益阳市", "市", []),
    ("chenzhou", "郴州市", "市", []),
    ("yongzhou", "永州市", "市", []),
    ("huaihua", "怀化市", "市", []),
    ("loudi", "娄底市", "市", []),
    ("xiangxi", "湘西土家族苗族自治州", "自治州", ["湘西州"]),
]

SEED = [
    ("changsha-county", "长沙县", "县", []),
    ("hetang", "荷塘区", "区", ["株洲市荷塘区"]),
]

CONFIGS = [
    ("../tests/fixtures/rollup/province-two-counties.toml", "湖南省", "全省", "县市区", '["湖南省"]', SEED,
     "湖南省人大常委会 · 简报所汇编的两个县区(长沙县、荷塘区)· 汇总配置(测试用)"),
    ("changsha-city.toml", "长沙市", "全市", "县市区", '["湖南省", "长沙市"]', CHANGSHA,
     "长沙市人大常委会 · 各县市区代表联系群众工作站进站活动汇总 配置"),
    ("zhuzhou-city.toml", "株洲市", "全市", "县市区", '["湖南省", "株洲市"]', ZHUZHOU,
     "株洲市人大常委会 · 各县市区代表联系群众工作站进站活动汇总 配置"),
    ("hunan.toml", "湖南省", "全省", "市州", '["湖南省"]', HUNAN,
     "湖南省人大常委会 · 各市州代表联系群众工作站进站活动汇总 配置(各市州报来的是它们的汇总数据包)"),
]

for file, name, scope, word, prefixes, rows, title in CONFIGS:
    text = HEAD.format(title=title, file=(ROOT / "config" / file).resolve().relative_to(ROOT), name=name, scope=scope,
                       units_word=word, prefixes=prefixes,
                       own="全市、全州" if word == "市州" else "全县、全区")
    text += "\n" + body() + "\n" + units(rows, f"# 单位:各{word}(id 用于文件名和数据列,name 与它们自己配置中的 [region] name 相同)") 
    (ROOT / "config" / file).write_text(text, encoding="utf-8")
    print("wrote", file)
