"""Generate N disclosures of the samples' family by varying the four samples:
units (names, codes), regions, budget years, amounts and project names.  Used by
benchmarks/build.py; deterministic for a given seed.

    python benchmarks/corpus.py N OUT_DIR [--seed 1]
"""
from __future__ import annotations

import argparse
import hashlib
import random
import re
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REGIONS = ["130605", "130602", "130681", "130203", "130104", "130533", "130434", "131002",
           "130927", "130726", "131182", "130822"]
PLACES = ["保定白沟新城", "保定市竞秀区", "涿州市", "唐山市路北区", "石家庄市长安区", "平乡县",
          "邯郸市魏县", "廊坊市安次区", "沧州市东光县", "张家口市蔚县", "衡水市深州市", "承德市兴隆县"]
BUREAUS = ["改革发展科技局", "行政审批局", "党群工作部", "发展和改革局", "财政局", "教育局",
           "民政局", "农业农村局", "卫生健康局", "人力资源和社会保障局"]
_AMOUNT = re.compile(r"^\t(\d+\.\d{2})$", re.M)
_UNIT = re.compile(r"^\t(\d{6})([^\t\n（]*?(?:局|部|委|办|中心))(（本级）|本级)?", re.M)


def vary(text: str, rnd: random.Random) -> str:
    k = rnd.randrange(len(REGIONS))
    region, place = REGIONS[k], PLACES[k]
    unit_code = f"{rnd.randrange(100, 999)}{rnd.randrange(0, 999):03d}"
    unit_name = place + rnd.choice(BUREAUS)
    year = rnd.choice([21, 22, 23, 24, 25, 26])
    factor = Decimal(rnd.randrange(50, 300)) / 100
    text = _UNIT.sub(lambda m: f"\t{unit_code}{unit_name}{m.group(3) or ''}", text)
    text = text.replace("保定白沟新城行政审批局", unit_name).replace("平乡县发展和改革局", unit_name)
    text = text.replace("130605", region)
    text = re.sub(rf"(?<![0-9]){region}2[0-9](?=[P0-9A-Z])", f"{region}{year:02d}", text)
    text = re.sub(r"20(2[0-9])年", lambda m: f"20{year}年" if m.group(1) == "26" else m.group(0), text)
    percents = {"25.00", "50.00", "75.00", "100.00"}  # 001's plans print percentages
    text = _AMOUNT.sub(lambda m: m.group(0) if m.group(1) in percents else
                       "\t" + str((Decimal(m.group(1)) * factor).quantize(Decimal("0.01"))), text)
    return text


def generate(n: int, out: Path, seed: int = 1) -> list[Path]:
    samples = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "data").glob("*.txt"))]
    rnd = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        text = vary(samples[i % len(samples)], rnd)
        name = f"{i:05d}_{hashlib.sha1(text.encode()).hexdigest()[:16]}.txt"
        (out / name).write_text(text, encoding="utf-8")
        paths.append(out / name)
    return paths


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    print(f"wrote {len(generate(a.n, a.out, a.seed))} documents to {a.out}")
