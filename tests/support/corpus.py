"""Generate N disclosures of the samples' family with realistic variety.  Used by the
tests (a few dozen documents) and the benchmarks (build time, store size, lineage
queries) at 1,000 and 10,000 documents; the command line is benchmarks/corpus.py:

    python benchmarks/corpus.py N OUT_DIR [--seed 1]

Each document is assembled from the four samples in data/, which share three
templates: A = 000 and 002 (performance targets of a department), B = 001 (a unit's
full budget disclosure), C = 004 (a county department's budget disclosure, project
tables without codes or amounts).  A document keeps one template, as a publisher
does, and varies everything else:

- publisher: a bureau of one of the 171 districts and counties of 11 Hebei cities
  (real 6-digit codes), in a budget year 2021-2026; every year printed in the sample
  moves with it, so project codes (region + two-digit year), funds years in names,
  carried-over projects and cited notices stay consistent;
- projects: a subset of the template's project tables, in a new order (template A
  draws from both 000 and 002, mostly from the bureau's own sample), renumbered;
  new project codes; amounts scaled per project with 预算数 = 财政资金 + 其他资金,
  spending plans cumulative and ending at the budget (or at 100.00 where the sample
  prints percentages), cost targets in 万元 scaled with the budget; template B's
  narrative totals recomputed from its tables;
- directives: every document number of the samples is replaced by one from a pool:
  provincial numbers (冀财教…) shared by all cities, city numbers re-issued by the
  document's own city (保财社 → 石财社 for 石家庄, 邢市财建 → 唐财建 …), and rare
  county numbers; the pick is Zipf-skewed, so one city notice reaches dozens of
  districts; the printed spelling varies (【】 〔〕 [] （） () ［］, no brackets, no
  号, a space before 号, 文件, full-width digits);
- layout, only as the reader handles it: other labels for the same fields, amounts
  in 元, quarterly plans, extra blank lines between rows, TAB padding, cell text
  continued on a line of its own, indicator rows split over blank-separated blocks,
  titles inside the table or left out.

Deterministic for a seed; documents are written one at a time.  Besides the
documents, OUT_DIR gets ``documents.jsonl`` (one line per document: publisher, year,
source tables, budgets, citations) and ``corpus.json`` (the ground truth: popular
directives with the documents, projects and citations that cite them, issuer codes
and prefixes).  The reader reads only ``*.txt``, so both can stay in the folder.
"""
from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import math
import random
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tests.support.samples import sample_lines

YEARS = range(2021, 2027)
CENT = Decimal("0.01")

# --- Geography: Hebei's cities and their districts/counties (GB/T 2260 codes) ---------

#: city: (initial in document numbers, 4-digit code, "NN名称" of its divisions)
CITIES = {
    "石家庄": ("石", "1301", "02长安区 04桥西区 05新华区 07井陉矿区 08裕华区 09藁城区 10鹿泉区 "
            "11栾城区 21井陉县 23正定县 25行唐县 26灵寿县 27高邑县 28深泽县 29赞皇县 30无极县 "
            "31平山县 32元氏县 33赵县 81辛集市 83晋州市 84新乐市"),
    "唐山": ("唐", "1302", "02路南区 03路北区 04古冶区 05开平区 07丰南区 08丰润区 09曹妃甸区 "
           "24滦南县 25乐亭县 27迁西县 29玉田县 81遵化市 83迁安市 84滦州市"),
    "秦皇岛": ("秦", "1303", "02海港区 03山海关区 04北戴河区 06抚宁区 21青龙满族自治县 22昌黎县 "
            "24卢龙县"),
    "邯郸": ("邯", "1304", "02邯山区 03丛台区 04复兴区 06峰峰矿区 07肥乡区 08永年区 23临漳县 "
           "24成安县 25大名县 26涉县 27磁县 30邱县 31鸡泽县 32广平县 33馆陶县 34魏县 35曲周县 "
           "81武安市"),
    "邢台": ("邢", "1305", "02襄都区 03信都区 05任泽区 06南和区 22临城县 23内丘县 24柏乡县 "
           "25隆尧县 28宁晋县 29巨鹿县 30新河县 31广宗县 32平乡县 33威县 34清河县 35临西县 "
           "81南宫市 82沙河市"),
    "保定": ("保", "1306", "02竞秀区 05白沟新城 06莲池区 07满城区 08清苑区 09徐水区 23涞水县 "
           "24阜平县 26定兴县 27唐县 28高阳县 29容城县 30涞源县 31望都县 32安新县 33易县 "
           "34曲阳县 35蠡县 36顺平县 37博野县 38雄县 81涿州市 82定州市 83安国市 84高碑店市"),
    "张家口": ("张", "1307", "02桥东区 03桥西区 05宣化区 06下花园区 08万全区 09崇礼区 22张北县 "
            "23康保县 24沽源县 25尚义县 26蔚县 27阳原县 28怀安县 30怀来县 31涿鹿县 32赤城县"),
    "承德": ("承", "1308", "02双桥区 03双滦区 04鹰手营子矿区 21承德县 22兴隆县 24滦平县 25隆化县 "
           "26丰宁满族自治县 27宽城满族自治县 28围场满族蒙古族自治县 81平泉市"),
    "沧州": ("沧", "1309", "02新华区 03运河区 21沧县 22青县 23东光县 24海兴县 25盐山县 26肃宁县 "
           "27南皮县 28吴桥县 29献县 30孟村回族自治县 81泊头市 82任丘市 83黄骅市 84河间市"),
    "廊坊": ("廊", "1310", "02安次区 03广阳区 22固安县 23永清县 24香河县 25大城县 26文安县 "
           "28大厂回族自治县 81霸州市 82三河市"),
    "衡水": ("衡", "1311", "02桃城区 03冀州区 21枣强县 22武邑县 23武强县 24饶阳县 25安平县 "
           "26故城县 27景县 28阜城县 82深州市"),
}
_SUFFIXES = ("满族蒙古族自治县", "满族自治县", "回族自治县", "矿区", "新城", "县", "区", "市")


@dataclass(frozen=True)
class Place:
    code: str     # 6-digit region code
    city: str     # 保定
    name: str     # 竞秀区, 涿州市
    full: str     # 保定市竞秀区 (a city district) or 涿州市 (a county)
    stem: str     # 竞秀, 涿州

    @property
    def initial(self) -> str:
        return CITIES[self.city][0]


def places() -> list[Place]:
    out = []
    for city, (_, prefix, divisions) in CITIES.items():
        for item in divisions.split():
            code, name = prefix + item[:2], item[2:]
            full = (city + name) if name == "白沟新城" else \
                (f"{city}市{name}" if name.endswith("区") else name)
            stem = next((name[:-len(s)] for s in _SUFFIXES
                         if name.endswith(s) and len(name) - len(s) >= 2), name)
            out.append(Place(code, city, name, full, stem))
    return out


#: (bureau, unit code, template, home sample): a document of the bureau uses the
#: template; template A draws its projects mostly from the home sample.
BUREAUS = [
    ("改革发展科技局", "303001", "A", "000"), ("科学技术局", "305001", "A", "000"),
    ("工业和信息化局", "306001", "A", "000"), ("统计局", "308001", "A", "000"),
    ("党群工作部", "203001", "A", "002"), ("人力资源和社会保障局", "325001", "A", "002"),
    ("组织部", "201001", "A", "002"),
    ("行政审批局", "322009", "B", "001"), ("数据和政务服务局", "322001", "B", "001"),
    ("政务服务管理办公室", "322005", "B", "001"),
    ("发展和改革局", "303001", "C", "004"), ("科技和工业信息化局", "304001", "C", "004"),
    ("商务局", "309001", "C", "004"),
]

# --- The samples as templates -----------------------------------------------------------

#: sample prefix: (template, budget year, own-level suffix of the unit cell, unit code,
#: unit name, place names printed in it: (text, field) longest first)
SAMPLES = {
    "000": ("A", 2026, "（本级）", "303001", "保定白沟新城改革发展科技局"),
    "002": ("A", 2026, "（本级）", "203001", "保定白沟新城党群工作部"),
    "001": ("B", 2022, "", "322009", "保定白沟新城行政审批局"),
    "004": ("C", 2021, "本级", "303001", "平乡县发展和改革局"),
}
_PLACE_WORDS = {
    "A": [("保定白沟新城", "{place}"), ("白沟新城", "{place_name}"), ("保定市", "{city}市"),
          ("白沟", "{place_stem}"), ("保定", "{city}")],
    "C": [("平乡县", "{place}"), ("邢台市", "{city}市"), ("平乡", "{place_stem}"),
          ("邢台", "{city}")],
}
_PLACE_WORDS["B"] = _PLACE_WORDS["A"]
#: 001's narrative totals, recomputed from the tables of each document
_B_TOTALS = [("1484.86万元", "{project}万元"), ("1500万元", "{total}万元"),
             ("15.14万元", "{basic}万元"), ("10.4万元", "{personnel}万元"),
             ("4.74万元", "{public}万元")]

#: Issuer codes of the samples' document numbers: (tier, the agency part kept when
#: the number is re-issued by another city; a province number keeps its issuer)
ISSUERS = {
    "保财社": ("city", "财社"), "保财建": ("city", "财建"), "保财资环": ("city", "财资环"),
    "保财行": ("city", "财行"), "保政发": ("city", "政发"), "邢市财环资": ("city", "财资环"),
    "邢市财建": ("city", "财建"), "邢发改环资": ("city", "发改环资"),
    "邢政办发": ("city", "政办发"),
    "冀财教": ("province", "冀财教"), "冀财建": ("province", "冀财建"),
    "冀财预": ("province", "冀财预"), "冀组明字": ("province", "冀组明字"),
}
_DIR = re.compile(r"(?P<issuer>" + "|".join(sorted(ISSUERS, key=len, reverse=True)) +
                  r")(?P<open>[〔【\[（"
                  r"(])(?P<year>20\d\d)(?P<close>[〕】\]）)])(?P<serial>\d+)(?P<hao>号?)")
_YEAR = re.compile(r"(?<![\d.])(201\d|202\d|2030)(?![\d.])")
_UNIT_LINE = re.compile(r"^\t\d{6}\S")
_COST = re.compile(r"^(\t[≤≥<>＜＞=]{0,2})(\d+(?:\.\d+)?)(万元.*)$")
_PRIVATE = 0xE000  # placeholders while a line is compiled: private-use characters


@dataclass(frozen=True)
class Occurrence:
    """A document number printed in a sample: which one, how, and what may change."""
    key: tuple[str, int, int]   # issuer, year, serial as printed in the sample
    brackets: tuple[str, str]
    hao: str
    may_drop_hao: bool          # what follows cannot be read as part of the number
    whole_cell: bool            # the number is all the cell holds (文件 may follow)


@dataclass
class Block:
    """One project table of a sample, compiled to format templates."""
    sample: str
    index: int                  # 1-based position in the sample
    sep: str                    # "." or "、" after the title's number
    title: str
    body: str
    title_dirs: list[Occurrence]
    body_dirs: list[Occurrence]
    budget: Decimal | None = None
    plan: list[Decimal | None] = field(default_factory=list)
    plan_percent: bool = False
    plan_ends_at_budget: bool = False
    costs: list[Decimal] = field(default_factory=list)
    code_offset: int | None = None   # sample year - code year (1 = carried over)
    code_brackets: bool = False
    code_tail: str = ""
    basic: bool = False
    blank_other: str = ""


@dataclass
class Template:
    family: str
    sample: str
    year: int
    front: str
    tail: str
    blocks: list[Block]
    own: str


def _escape(s: str) -> str:
    return s.replace("{", "{{").replace("}", "}}")


def compile_text(s: str, literals: list[tuple[str, str]], dirs: list[Occurrence],
                 prefix: str = "d") -> str:
    """A printed line → a format template: document numbers → {dN}, names and places
    → their field, years → {yYYYY} (shifted per document), braces escaped."""
    holes: list[str] = []

    def hole(text: str) -> str:
        holes.append(text)
        return chr(_PRIVATE + len(holes) - 1)

    def number(m: re.Match) -> str:
        after = s[m.end():m.end() + 1]
        whole = s.startswith("\t") and s[1:m.start()] == "" and s[m.end():].strip() in ("", "文件")
        dirs.append(Occurrence((m["issuer"], int(m["year"]), int(m["serial"])),
                               (m["open"], m["close"]), m["hao"],
                               not after.isdigit()
                               and after not in ".．%％万元个人次年月日天份件项文",
                               whole))
        return hole(f"{{{prefix}{len(dirs) - 1}}}")

    s = _DIR.sub(number, s)
    s = _escape(s)
    for text, replacement in literals:
        if text in s:
            s = s.replace(text, hole(replacement))
    s = _YEAR.sub(lambda m: f"{{y{m.group(1)}}}", s)
    return re.sub("[\ue000-\uefff]", lambda m: holes[ord(m.group()) - _PRIVATE], s)


def _blank(line: str) -> bool:
    """A line that ends a table row (a lone TAB is an empty cell, not a blank)."""
    return not line or (line[0] != "\t" and line.isspace())


def _runs(lines: list[str], start: int) -> list[tuple[int, int]]:
    """Blank-separated runs of lines from ``start``: [(first, end)]."""
    out, first = [], None
    for i in range(start, len(lines)):
        line = lines[i]
        blank = not line or (line[0] != "\t" and line.isspace())  # _blank, inlined: hot
        if blank and first is not None:
            out.append((first, i))
            first = None
        elif not blank and first is None:
            first = i
    if first is not None:
        out.append((first, len(lines)))
    return out


def compile_block(sample: str, index: int, title_line: str, lines: list[str],
                  literals: list[tuple[str, str]], year: int) -> Block:
    m = re.match(r"^(?:\[bookmark: [^\]]*\])?\d+([.、])(.*)$", title_line)
    title_dirs: list[Occurrence] = []
    b = Block(sample, index, m.group(1), compile_text(m.group(2), literals, title_dirs, "t"), "",
              title_dirs, [])
    fixed: dict[int, str] = {}
    for j, line in enumerate(lines):
        prev = lines[j - 1] if j else ""
        if _UNIT_LINE.match(line) and not fixed:
            fixed[j] = "{unit}"
        elif prev == "\t项目编码":
            code = line[1:].strip("[]")
            b.code_offset = year - (2000 + int(code[6:8]))
            b.code_brackets, b.code_tail = line.startswith("\t["), code[8:]
            fixed[j] = "{code}"
        elif prev == "\t预算数":
            b.budget = Decimal(line[1:])
            fixed[j] = "{budget}"
        elif prev.startswith("\t其中：财政"):
            assert Decimal(line[1:]) == b.budget, (sample, index)  # every sample table
            fixed[j] = "{fiscal}"
        elif prev == "\t其他资金":
            b.blank_other = line[1:]
            fixed[j] = "{other}"
        elif prev == "\t项目名称":
            b.basic = line[1:].strip() in ("人员经费", "日常公用经费")
    plan = next((j for j, line in enumerate(lines) if line.startswith("\t资金支出计划")), None)
    if plan is not None:
        first, end = next(r for r in _runs(lines, plan) if r[0] > plan)
        assert end - first == 5, (sample, index)
        values = [lines[k][1:].strip() for k in range(first + 1, end)]
        b.plan = [Decimal(v) if v else None for v in values]
        b.plan_percent = b.plan[-1] == 100 and b.budget != 100
        b.plan_ends_at_budget = b.plan[-1] == b.budget
        for i, k in enumerate(range(first + 1, end)):
            fixed[k] = f"{{p{i}}}" if values[i] else lines[k]
    header = next((j for j, line in enumerate(lines) if line == "\t一级指标"), len(lines))
    out = []
    for j, line in enumerate(lines):
        if j in fixed:
            out.append(fixed[j] if fixed[j].startswith("{") else _escape(fixed[j]))
        elif j > header and (c := _COST.match(line)):
            b.costs.append(Decimal(c.group(2)))
            out.append(compile_text(c.group(1), literals, b.body_dirs)
                       + f"{{c{len(b.costs) - 1}}}"
                       + compile_text(c.group(3), literals, b.body_dirs))
        else:
            out.append(compile_text(line, literals, b.body_dirs))
    b.body = "\n".join(out) + "\n"
    return b


def load_template(prefix: str) -> Template:
    family, year, own, unit_code, unit_name = SAMPLES[prefix]
    lines = sample_lines(prefix)
    if lines[-1] == "":
        lines.pop()
    literals = [(unit_code + unit_name, "{unit_code}{unit_name}"), (unit_name, "{unit_name}")]
    literals += _PLACE_WORDS[family]
    titles = [i for i in range(len(lines) - 1)
              if re.match(r"^(?:\[bookmark: [^\]]*\])?\d+[.、]\S.*绩效目标", lines[i])
              and _UNIT_LINE.match(lines[i + 1])]
    tail_at = next((i for i, line in enumerate(lines)
                    if i > titles[-1] and re.match(r"^(第六部分|六、政府采购)", line)), len(lines))
    front_literals = literals + (_B_TOTALS if family == "B" else [])
    front = "".join(compile_text(line, front_literals, []) + "\n" for line in lines[:titles[0]])
    tail = "".join(compile_text(line, literals, []) + "\n" for line in lines[tail_at:])
    blocks = [compile_block(prefix, k + 1, lines[t], lines[t + 1:end], literals, year)
              for k, (t, end) in enumerate(zip(titles, titles[1:] + [tail_at], strict=False))]
    return Template(family, prefix, year, front, tail, blocks, own)


# --- Directives: pools, Zipf-skewed picks, printed spellings --------------------------

POOL = 8          # serials per directive slot (per issuer and year)
_ZIPF = [1 / (r + 1) ** 1.6 for r in range(POOL)]
_ZIPF_CUM = [sum(_ZIPF[:r + 1]) for r in range(POOL)]
BRACKETS = [("〔", "〕"), ("【", "】"), ("[", "]"), ("（", "）"), ("(", ")"), ("［", "］")]
_BRACKET_WEIGHTS = [30, 28, 16, 12, 8, 3]
_FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
COUNTY_AGENCIES = ("财预", "财社", "财农", "财建")
_ALNUM = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


@dataclass(frozen=True)
class Directive:
    issuer: str
    year: int
    serial: int
    tier: str     # province | city | county
    city: str     # the issuing city ("" for the province)

    @property
    def canonical(self) -> str:
        return f"{self.issuer}〔{self.year}〕{self.serial}号"


def spell(d: Directive, brackets: tuple[str, str] | None, hao: str, fullwidth: bool,
          wenjian: bool) -> str:
    """A printed form of ``d``; brackets None = none (冀财社2021152号, needs 号)."""
    year, serial = str(d.year), str(d.serial)
    if fullwidth:
        year, serial = year.translate(_FULLWIDTH), serial.translate(_FULLWIDTH)
    core = f"{d.issuer}{year}{serial}" if brackets is None else \
        f"{d.issuer}{brackets[0]}{year}{brackets[1]}{serial}"
    return core + hao + ("文件" if wenjian else "")


class Pools:
    """Serial numbers per (issuer, year), split into slots: each directive of the
    samples gets its own slot, so a re-issued number always stands for the same kind
    of notice.  A pick is Zipf-skewed over the slot's serials."""

    def __init__(self, seed: int, slots: dict[tuple, int]):
        self.seed, self.slots, self.cache = seed, slots, {}

    def serials(self, issuer: str, year: int) -> list[int]:
        key = (issuer, year)
        if key not in self.cache:
            rnd = random.Random(f"{self.seed}/{issuer}/{year}")
            self.cache[key] = rnd.sample(range(1, 320), POOL * (len(self.slots) + 2))
        return self.cache[key]

    def pick(self, rnd: random.Random, issuer: str, year: int, slot: int) -> int:
        rank = bisect.bisect_left(_ZIPF_CUM, rnd.random() * _ZIPF_CUM[-1])
        return self.serials(issuer, year)[slot * POOL + rank]


def city_issuer(place: Place, agency: str) -> str:
    """邢台's finance bureau prints 邢市财…; the other cities <initial>财…"""
    prefix = "邢市" if place.city == "邢台" and agency.startswith("财") else place.initial
    return prefix + agency


def county_issuer(place: Place, agency: str) -> str:
    return place.stem[:2 if place.stem[0] in "冀保邢唐石廊沧衡张承秦邯雄" else 1] + agency


# --- One document ----------------------------------------------------------------------

@dataclass
class Style:
    """A publisher's layout choices, applied to every table of the document."""
    amount_unit: str = "单位：万元"
    budget_with_unit: bool = False
    labels: dict[str, str] = field(default_factory=dict)
    plan_heads: str | None = None
    row_gap: float = 0.0
    tab_pad: float = 0.0
    split_rows: float = 0.0
    continuation: float = 0.0
    titles: str = "paragraph"     # paragraph | in_table | none

    def relabel(self, body: str) -> str:
        """The publisher's labels, amount unit and plan headings in one table."""
        for old, new in self.labels.items():
            body = body.replace(old, new)
        if self.amount_unit != "单位：万元":
            body = body.replace("\t单位：万元\n", f"\t{self.amount_unit}\n")
        if self.plan_heads:
            body = body.replace(_PLAN_HEADS[0], self.plan_heads)
        return body

    @property
    def yuan(self) -> bool:
        return "万元" not in self.amount_unit

    def names(self) -> list[str]:
        out = [k for k, v in (("yuan", self.yuan), ("budget_with_unit", self.budget_with_unit),
                              ("labels", self.labels), ("quarters", self.plan_heads),
                              ("row_gap", self.row_gap), ("tab_pad", self.tab_pad),
                              ("split_rows", self.split_rows),
                              ("continuation", self.continuation)) if v]
        return out + ([f"titles_{self.titles}"] if self.titles != "paragraph" else [])


_LABEL_VARIANTS = [
    ("\t项目编码\n", ["\t项目代码\n", "\t项目编号\n"]),
    ("\t预算数\n", ["\t预算金额\n", "\t年度预算数\n", "\t预算数（万元）\n"]),
    ("\t其中：财政    资金\n", ["\t财政资金\n", "\t其中：财政拨款\n"]),
    ("\t其中：财政资金\n", ["\t财政资金\n", "\t其中：财政拨款\n"]),
    ("\t三级指标\n", ["\t指标名称\n"]),
    ("\t绩效指标描述\n", ["\t指标描述\n", "\t指标内容\n"]),
    ("\t指标值\n", ["\t目标值\n", "\t指标值（包含数字及文字描述）\n", "\t年度指标值\n"]),
    ("\t指标值确定依据\n", ["\t指标值设定依据\n", "\t确定依据\n"]),
]
_PLAN_HEADS = ["\t3月底\n\t6月底\n\t10月底\n\t12月底\n",
               "\t第一季度\n\t第二季度\n\t第三季度\n\t第四季度\n",
               "\t3月末\n\t6月末\n\t9月末\n\t12月末\n",
               "\t3月底\n\t6月底\n\t10月底\n\t12月31日\n"]


def choose_style(rnd: random.Random, family: str) -> Style:
    s = Style()
    if family != "C":
        r = rnd.random()
        s.amount_unit = ("单位：元" if r < .08 else "单位（元）" if r < .12 else
                         "金额单位：万元" if r < .17 else "单位：万元")
        s.budget_with_unit = not s.yuan and rnd.random() < .06
        if rnd.random() < .12:
            s.plan_heads = rnd.choice(_PLAN_HEADS[1:])
    if rnd.random() < .25:
        for old, new in _LABEL_VARIANTS:
            if rnd.random() < .5:
                choice = rnd.choice(new)
                if not (s.yuan and "万元" in choice):
                    s.labels[old] = choice
    s.row_gap = .3 if rnd.random() < .2 else 0
    s.tab_pad = .08 if rnd.random() < .2 else 0
    s.split_rows = .1 if rnd.random() < .15 else 0
    s.continuation = .3 if rnd.random() < .2 else 0
    if family == "A":
        r = rnd.random()
        s.titles = "in_table" if r < .05 else "none" if r < .09 else "paragraph"
    return s


def q(v: Decimal) -> Decimal:
    return v.quantize(CENT)


def money(v: Decimal, style: Style) -> str:
    return str(int(v * 10000)) if style.yuan else f"{v:.2f}"


def short(v: Decimal) -> str:
    """24.00 → 24, 24.30 → 24.3 (narrative style)."""
    s = f"{v:.2f}".rstrip("0").rstrip(".")
    return s or "0"


_GOAL_NUMBER = re.compile(r"^\s*\d{1,2}\s*[.、．]")
_HEADING_LIKE = re.compile(r"^\s*(?:第[一二三四五六七八九十\d]+部分|[一二三四五六七八九十]+、)|"
                           r"绩效目标表?\s*$")
_START_LIKE = re.compile(r"^\s*[\[【(（]?\d{6}|绩效目标|^(?:\d{1,2}月|第?[一二三四1-4]季度)|"
                         r"项目(?:名称|编码|代码|编号)|预算|资金|单位|指标")


def _split_text(text: str, rnd: random.Random) -> tuple[str, str] | None:
    """Split a cell's text at a comma for a continuation line, if a safe place exists."""
    cuts = [m.end() for m in re.finditer(r"[，；、]", text) if 4 <= m.end() <= len(text) - 4]
    if not cuts:
        return None
    k = rnd.choice(cuts)
    head, rest = text[:k], text[k:].strip()
    if not rest or _GOAL_NUMBER.match(rest) or _HEADING_LIKE.search(rest) or '"' in rest:
        return None
    return head, rest


def vary_lines(body: str, rnd: random.Random, style: Style) -> str:
    """Blank lines between rows, TAB padding, continuation lines and split indicator
    rows, each only in the forms Tika writes and the reader re-joins."""
    lines = body.split("\n")
    header = next((j for j, line in enumerate(lines) if line == "\t一级指标"), None)
    out: list[str] = []
    runs = {first: end for first, end in _runs(lines, 0)}
    j = 0
    while j < len(lines):
        end = runs.get(j)
        if end is None:  # a blank line (or the last)
            out.append(lines[j])
            if (style.row_gap and _blank(lines[j]) and j + 1 in runs
                    and lines[j + 1].startswith("\t") and rnd.random() < style.row_gap):
                out.append("")
            j += 1
            continue
        row = lines[j:end]
        cells_only = all(line.startswith("\t") for line in row)
        in_body = header is not None and j > header
        if (style.split_rows and in_body and cells_only and len(row) == 6
                and rnd.random() < style.split_rows):
            cut = rnd.choice([(3, 4), (4,), (3,), (2, 4)])
            pieces = [row[a:b] for a, b in zip((0,) + cut, cut + (6,), strict=False)]
            if all(any(c[1:].strip() for c in p) for p in pieces) and not any(
                    _START_LIKE.search(p[0][1:]) for p in pieces[1:]):
                row = [line for p in pieces for line in p + [""]][:-1]
        if style.continuation and rnd.random() < style.continuation:
            # the goal cell after 绩效目标, or an indicator's description
            k = next((i + 1 for i, line in enumerate(row[:-1]) if line == "\t绩效目标"), None)
            if k is None and in_body and cells_only and len(row) == 6:
                k = 3
            if k is not None and row[k].startswith("\t"):
                split = _split_text(row[k][1:].rstrip("\t"), rnd)
                if split:
                    last = k == len(row) - 1
                    gap = [""] if last and rnd.random() < .4 else []
                    row = row[:k] + ["\t" + split[0]] + gap + [split[1]] + row[k + 1:]
        if style.tab_pad:
            row = [line + "\t" * rnd.randint(1, 6)
                   if line.startswith("\t") and line[1:].strip() and rnd.random() < style.tab_pad
                   else line for line in row]
        out.extend(row)
        j = end
    return "\n".join(out)


@dataclass
class Ledger:
    """Directive citations printed in one document, counted the way the reader
    records them: one citation per printed number, by canonical number."""
    citations: Counter = field(default_factory=Counter)
    projects: Counter = field(default_factory=Counter)
    spellings: dict = field(default_factory=lambda: defaultdict(set))
    directives: dict = field(default_factory=dict)

    def project(self, printed: list[tuple[Directive, str]]) -> None:
        for d, text in printed:
            self.citations[d.canonical] += 1
            self.spellings[d.canonical].add(text)
            self.directives[d.canonical] = d
        for canonical in {d.canonical for d, _ in printed}:
            self.projects[canonical] += 1


class Generator:
    """The compiled templates, the places, the directive pools; one document at a time."""

    def __init__(self, seed: int):
        self.seed = seed
        self.templates = {p: load_template(p) for p in SAMPLES}
        self.places = places()
        by_agency = defaultdict(set)
        for t in self.templates.values():
            for b in t.blocks:
                for o in b.title_dirs + b.body_dirs:
                    by_agency[ISSUERS[o.key[0]][1]].add(o.key)
        self.slots = {key: i for keys in by_agency.values() for i, key in enumerate(sorted(keys))}
        self.pools = Pools(seed, self.slots)
        self.city_slot, self.county_slot = len(self.slots), len(self.slots) + 1
        self.combos = len(self.places) * len(BUREAUS) * len(YEARS)  # possible publishers

    def publisher(self, i: int, order: list[int]) -> tuple[Place, tuple, int]:
        """Document ``i``'s unit and year: distinct for every document while they last."""
        k = (order[i] if i < len(order)
             else random.Random(f"{self.seed}/unit/{i}").randrange(self.combos))
        k, year = divmod(k, len(YEARS))
        k, bureau = divmod(k, len(BUREAUS))
        return self.places[k], BUREAUS[bureau], YEARS[year]

    def choose_blocks(self, rnd: random.Random, family: str, home: str) -> list[Block]:
        if family == "A":
            pool = self.templates["000"].blocks + self.templates["002"].blocks
            n = min(45, max(2, round(rnd.lognormvariate(math.log(14), .55))))
            keyed = sorted(pool, key=lambda b: rnd.random() ** (1 / (3 if b.sample == home else 1)))
            chosen = keyed[-n:]
        elif family == "B":
            blocks = self.templates["001"].blocks
            basic = [b for b in blocks if b.basic]
            rest = [b for b in blocks if not b.basic]
            n = min(len(rest), max(1, round(rnd.lognormvariate(math.log(10), .6))))
            return basic + rnd.sample(rest, n)
        else:
            blocks = self.templates["004"].blocks
            n = min(len(blocks), max(2, round(rnd.lognormvariate(math.log(14), .6))))
            chosen = rnd.sample(blocks, n)
        rnd.shuffle(chosen)
        if family == "A" and all(b.code_offset for b in chosen):  # keep the year readable
            chosen[0] = next(b for b in self.templates[home].blocks if b.code_offset == 0)
        return chosen

    def document(self, i: int, order: list[int]) -> tuple[str, dict, Ledger]:
        rnd = random.Random(f"{self.seed}/doc/{i}")
        place, (bureau, unit_code, family, home), year = self.publisher(i, order)
        t = self.templates[home]
        delta = year - t.year
        style = choose_style(rnd, family)
        unit_name = place.full + bureau
        values = {f"y{y}": str(y + delta) for y in range(2010, 2031)}
        values.update(place=place.full, place_name=place.name, place_stem=place.stem,
                      city=place.city, unit_name=unit_name,
                      unit_code=unit_code,
                      unit=f"\t{unit_code}{unit_name}{t.own}")
        blocks = self.choose_blocks(rnd, family, home)
        mapping: dict[tuple, tuple[Directive, tuple]] = {}
        ledger = Ledger()
        extra = {}  # table → a notice cited in its indicator bases
        if rnd.random() < .3:
            d = self.notice("city", place, year, rnd)
            extra.update((k, d) for k in rnd.sample(range(len(blocks)), min(2, len(blocks))))
        if rnd.random() < .06:
            extra[rnd.randrange(len(blocks))] = self.notice("county", place, year, rnd)
        parts, budgets, sources = [], [], []
        for n, b in enumerate(blocks, 1):
            vals = dict(values)
            amounts = self.amounts(b, rnd, style, vals, place, year)
            budgets.append(amounts)
            printed: list[tuple[Directive, str]] = []  # as the reader will find them
            for where, occs in (("t", b.title_dirs), ("d", b.body_dirs)):
                for k, occ in enumerate(occs):
                    d, base = self.directive(occ, place, delta, rnd, mapping)
                    text = self.spelling(d, occ, base, rnd)
                    vals[f"{where}{k}"] = text
                    if style.titles != "none" or where == "d":
                        printed.append((d, text))
            body = b.body.format_map(vals)
            if n - 1 in extra and not printed:
                body = self.cite_in_basis(body, extra[n - 1], place, rnd, printed)
            body = style.relabel(body)
            if style.row_gap or style.tab_pad or style.split_rows or style.continuation:
                body = vary_lines(body, rnd, style)
            title = f"{n}{b.sep}" + b.title.format_map(vals)
            if style.titles == "none":
                head = ""
            elif style.titles == "in_table" and len(title) < 100:
                head = f"\t{title}\n\n"
            else:
                head = self.bookmark(t.family, n) + title + "\n"
            parts.append(head + body)
            ledger.project(printed)
            sources.append(f"{b.sample}:{b.index}")
        projects = "".join(parts)
        if family == "B":
            values.update(self.totals(blocks, budgets))
        text = t.front.format_map(values) + projects + t.tail.format_map(values)
        meta = {"family": family, "template": t.sample, "region": place.code,
                "place": place.full, "city": place.city, "year": year,
                "unit": [unit_code, unit_name], "tables": len(blocks),
                "projects": sum(not b.basic for b in blocks), "sources": sources,
                "budgets": [a and str(a) for a in budgets], "style": style.names(),
                "citations": dict(ledger.citations),
                "county": sorted(c for c, d in ledger.directives.items() if d.tier == "county")}
        return text, meta, ledger

    @staticmethod
    def bookmark(family: str, n: int) -> str:
        if family == "A":
            return f"[bookmark: _Toc_4_4_{n + 3:010d}]"
        return f"[bookmark: _Toc{67650463 + n}]" if family == "C" and n > 1 else ""

    def amounts(self, b: Block, rnd: random.Random, style: Style, vals: dict, place: Place,
                year: int) -> Decimal | None:
        """Scaled amounts of one table, consistent as the samples are; the budget."""
        if b.code_offset is not None:
            last = len(b.code_tail) - 1
            tail = "".join(rnd.choice(_ALNUM) if b.code_brackets or k == last else
                           rnd.choice("0123456789") if c.isdigit() else c
                           for k, c in enumerate(b.code_tail))
            code = f"{place.code}{(year - b.code_offset) % 100:02d}{tail}"
            vals["code"] = f"\t[{code}]" if b.code_brackets else f"\t{code}"
        factor = Decimal(str(round(min(5.0, max(.2, rnd.lognormvariate(0, .6))), 3)))
        for k, c in enumerate(b.costs):
            vals[f"c{k}"] = short(max(CENT, q(c * factor)))
        if b.budget is None:
            return None
        budget = max(CENT, q(b.budget * factor))
        if budget == 100:
            budget += CENT  # a plan ending at 100 would read as percentages
        other = q(budget * Decimal(rnd.randint(5, 40)) / 100) if rnd.random() < .12 else None
        vals["budget"] = "\t" + money(budget, style) + ("万元" if style.budget_with_unit else "")
        vals["fiscal"] = "\t" + money(budget - (other or 0), style)
        vals["other"] = "\t" + (money(other, style) if other else b.blank_other)
        if b.plan_percent:
            plan = b.plan if rnd.random() < .6 else \
                [Decimal(v) for v in sorted(rnd.sample(range(5, 100, 5), 3))] + [Decimal(100)]
            for k, v in enumerate(plan):
                vals[f"p{k}"] = f"\t{v:.2f}"
        elif b.plan:
            plan = [None if v is None else q(v * factor) for v in b.plan]
            if b.plan_ends_at_budget:
                plan[-1] = budget
            for k, v in enumerate(plan):
                if v is not None:
                    vals[f"p{k}"] = "\t" + money(min(v, budget), style)
        return budget

    def directive(self, occ: Occurrence, place: Place, delta: int, rnd: random.Random,
                  mapping: dict) -> tuple[Directive, tuple]:
        """The document's number for a sample number: one per sample number per
        document, with the document's usual spelling for it."""
        if occ.key not in mapping:
            tier, agency = ISSUERS[occ.key[0]]
            year = occ.key[1] + delta
            issuer = agency if tier == "province" else city_issuer(place, agency)
            serial = self.pools.pick(rnd, issuer, year, self.slots[occ.key])
            d = Directive(issuer, year, serial, tier, "" if tier == "province" else place.city)
            if rnd.random() < .55:
                base = (occ.brackets, occ.hao or "号", False)
            else:
                base = (self.brackets(rnd), self.hao(rnd), rnd.random() < .05)
            mapping[occ.key] = (d, base)
        return mapping[occ.key]

    @staticmethod
    def brackets(rnd: random.Random) -> tuple[str, str] | None:
        return None if rnd.random() < .06 else rnd.choices(BRACKETS, _BRACKET_WEIGHTS)[0]

    @staticmethod
    def hao(rnd: random.Random) -> str:
        r = rnd.random()
        return "" if r < .08 else " 号" if r < .14 else "号"

    def spelling(self, d: Directive, occ: Occurrence, base: tuple, rnd: random.Random) -> str:
        brackets, hao, fullwidth = base
        if rnd.random() < .15:  # one printing of many differs
            brackets, hao, fullwidth = self.brackets(rnd), self.hao(rnd), rnd.random() < .1
        if occ.hao == "" and rnd.random() < .5:
            hao = ""  # as the sample printed it
        if not hao and (brackets is None or not occ.may_drop_hao):
            hao = "号"
        wenjian = occ.whole_cell and rnd.random() < .12
        return spell(d, brackets, hao, fullwidth, wenjian)

    def notice(self, tier: str, place: Place, year: int, rnd: random.Random) -> Directive:
        """A notice no sample prints: the city finance bureau's budget notice (cited
        by units of every kind across the city) or, rarely, a county's own."""
        if tier == "city":
            issuer, slot = city_issuer(place, "财预"), self.city_slot
        else:
            issuer, slot = county_issuer(place, rnd.choice(COUNTY_AGENCIES)), self.county_slot
        d_year = year - 1 if tier == "city" else year - rnd.choice((0, 1))
        return Directive(issuer, d_year, self.pools.pick(rnd, issuer, d_year, slot), tier,
                         place.city)

    def cite_in_basis(self, body: str, d: Directive, place: Place, rnd: random.Random,
                      printed: list) -> str:
        """``d`` as the basis (指标值确定依据) of some indicators of one table."""
        lines = body.split("\n")
        header = next((j for j, line in enumerate(lines) if line == "\t一级指标"), None)
        if header is None:
            return body
        title = ""
        if d.tier == "city":  # one title per number, as the notice has one
            kinds = ("中央和省级转移支付资金", "市级专项转移支付资金", "省级财政补助资金",
                     "市对县转移支付资金")
            title = f"{place.city}市财政局关于提前下达{d.year + 1}年" \
                    f"{kinds[d.serial % len(kinds)]}预算的通知 "
        for first, end in _runs(lines, header + 1):
            if end - first == 6 and all(x.startswith("\t") for x in lines[first:end]) \
                    and rnd.random() < .5:
                text = spell(d, self.brackets(rnd), "号", False, False)
                lines[end - 1] = "\t" + (title if rnd.random() < .7 else "") + text
                printed.append((d, text))
        return "\n".join(lines)

    @staticmethod
    def totals(blocks: list[Block], budgets: list) -> dict:
        by = {"人员经费": Decimal(0), "日常公用经费": Decimal(0)}
        project = Decimal(0)
        for b, amount in zip(blocks, budgets, strict=False):
            if b.basic:
                key = "人员经费" if b.index == 1 else "日常公用经费"
                by[key] += amount
            else:
                project += amount
        basic = by["人员经费"] + by["日常公用经费"]
        return {"personnel": short(by["人员经费"]), "public": short(by["日常公用经费"]),
                "basic": short(basic), "project": short(project), "total": short(basic + project)}


# --- The corpus ----------------------------------------------------------------------

def generate(n: int, out: Path, seed: int = 1) -> list[Path]:
    """Write ``n`` documents, documents.jsonl and corpus.json into ``out``."""
    gen = Generator(seed)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    order = list(range(gen.combos))  # the first N documents are the same for any larger N
    random.Random(f"{seed}/units").shuffle(order)
    width = max(5, len(str(n - 1)))
    docs, projects, citations = Counter(), Counter(), Counter()
    spellings: dict[str, set] = defaultdict(set)
    directives: dict[str, Directive] = {}
    prefix_docs, issuer_docs = Counter(), Counter()
    paths, size = [], 0
    with open(out / "documents.jsonl", "w", encoding="utf-8") as manifest:
        for i in range(n):
            text, meta, ledger = gen.document(i, order)
            data = text.encode("utf-8")
            name = f"{i:0{width}d}_{hashlib.sha1(data).hexdigest()[:16]}.txt"
            (out / name).write_bytes(data)
            size += len(data)
            paths.append(out / name)
            manifest.write(json.dumps({"file": name, **meta}, ensure_ascii=False) + "\n")
            docs.update(ledger.citations.keys())
            projects.update(ledger.projects)
            citations.update(ledger.citations)
            for c, s in ledger.spellings.items():
                spellings[c] |= s
            directives.update(ledger.directives)
            issuers = {d.issuer for d in ledger.directives.values()}
            issuer_docs.update(issuers)
            prefix_docs.update({i[:2] for i in issuers})
    truth = ground_truth(n, seed, size, docs, projects, citations, spellings, directives,
                         issuer_docs, prefix_docs)
    (out / "corpus.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1),
                                     encoding="utf-8")
    return paths


def ground_truth(n, seed, size, docs, projects, citations, spellings, directives,
                 issuer_docs, prefix_docs) -> dict:
    def entry(c: str) -> dict:
        d = directives[c]
        return {"canonical": c, "issuer": d.issuer, "tier": d.tier, "city": d.city,
                "documents": docs[c], "projects": projects[c], "citations": citations[c],
                "spellings": sorted(spellings[c])}

    ranked = sorted(docs, key=lambda c: (-docs[c], c))
    tiers = Counter(d.tier for d in directives.values())
    by_issuer = defaultdict(list)
    for c, d in directives.items():
        by_issuer[d.issuer].append(c)
    prefixes = defaultdict(list)
    for c, d in directives.items():
        prefixes[d.issuer[:2]].append(c)
    return {
        "documents": n, "seed": seed, "mb": round(size / 1e6, 1),
        "note": "citations are counted as the reader records them (one per printed number; "
                "documents/projects = how many cite it at least once); county numbers print "
                "the county's initial (涿财预…)",
        "directives": {"distinct": len(directives), "by_tier": dict(tiers)},
        "popular": [entry(c) for c in ranked[:10]],
        "popular_by_tier": {t: [entry(c) for c in ranked if directives[c].tier == t][:3]
                            for t in ("province", "city", "county")},
        "issuers": {i: {"tier": directives[cs[0]].tier, "directives": len(cs),
                        "documents": issuer_docs[i],
                        "projects": sum(projects[c] for c in cs)}
                    for i, cs in sorted(by_issuer.items())},
        "prefixes": {p: {"directives": len(cs), "documents": prefix_docs[p]}
                     for p, cs in sorted(prefixes.items())},
    }


def manifest(out: Path) -> list[dict]:
    """documents.jsonl of a generated corpus: one dict per document, in order."""
    with open(Path(out) / "documents.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def summary(out: Path) -> str:
    t = json.loads((Path(out) / "corpus.json").read_text(encoding="utf-8"))
    top = t["popular"][0] if t["popular"] else None
    return (f"{t['documents']} documents, {t['mb']} MB, {t['directives']['distinct']} distinct "
            f"directives; top {top['canonical']} cited by {top['documents']} documents"
            if top else f"{t['documents']} documents, {t['mb']} MB, no directives")



def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="Generate N disclosures into OUT_DIR.")
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args(argv)
    started = time.perf_counter()
    generate(a.n, a.out, a.seed)
    print(f"{summary(a.out)} ({time.perf_counter() - started:.1f} s, {a.out})")
