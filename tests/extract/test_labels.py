"""The label vocabulary (kg/extract/labels.csv) is data: it loads, says one thing
per label, and a new variant added to a copy is read without touching code."""
from __future__ import annotations

from collections import defaultdict

from kg.domain.text import label_key
from kg.extract import labels


def test_each_label_names_one_thing():
    meaning = defaultdict(set)
    for kind in ("field", "column", "source"):
        for target, variants in labels._VOCAB[kind].items():
            for v in variants:
                meaning[(kind, label_key(v))].add(target)
    assert {k: v for k, v in meaning.items() if len(v) > 1} == {}


def test_the_other_templates_labels_are_known():
    assert labels.field_of("项目支出名称") == "name" and labels.field_of("预算部门") == "unit"
    assert labels.field_of("年度本级预算金额") == labels.field_of("年度资金总额") == "budget"
    assert (labels.field_of("其中：财政拨款") == "fiscal"
            and labels.field_of("项目支出实施期") == "period")
    assert labels.is_goal_label("实施期绩效目标") and labels.is_goal_label("本年度\n绩效目标")
    assert labels.column_of("指标值及单位") == "target" and labels.column_of("绩效标准") == "basis"
    assert labels.column_of("本年度绩效指标") == "block"


def test_a_variant_added_to_a_copy_is_loaded(tmp_path):
    copy = tmp_path / "labels.csv"
    copy.write_text(labels.VOCABULARY.read_text(encoding="utf-8") + "field,budget,本年预算安排\n",
                    encoding="utf-8")
    assert "本年预算安排" in labels._load(copy)["field"]["budget"]
    assert "本年预算安排" not in labels.FIELD_LABELS["budget"]
