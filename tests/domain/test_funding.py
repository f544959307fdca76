"""Tests for kg.domain.funding: level, year, carry-over and secrecy of funds."""

import pytest

from kg.domain.funding import funding_level, funds_year, is_carried_over, is_classified


@pytest.mark.parametrize(
    "name, level",
    [
        ("2025年中央就业补助资金 保财社【2025】19号", "central"),  # data/002 line 393
        # data/002 line 495
        ("2026年度下派选调生到村工作中央财政补助资金 保财行【2025】12号", "central"),
        ("2025年省级财政稳就业扩大社会保险补贴范围补助资金（保财社【2025】35号）",
         "provincial"),  # data/002 line 126
        ("2026年省级就业补助资金 保财社【2025】87号", "provincial"),  # data/002 line 584
        ("2025年市级财政稳就业扩大社会保险补贴范围补助资金（保财社【2025】40号）",
         "city"),  # data/002 line 215
        # data/004 line 741: 河北省财政厅 names an agency; 省级 decides
        ("冀财教(2020)181号河北省财政厅 河北省科学技术厅关于提前下达2021年省级支持市县科技创新和"
         "科学普及专项资金的通知", "provincial"),
        # data/004 line 3126: the 市 of 邢市财建 does not count; 市级 does
        ("邢市财建[2020]95号关于下达2020年市级工业设计发展专项资金的通知", "city"),
        # data/004 line 1415
        ("2019年支持市县科技创新和科学普及专项资金（冀财教[2019]27号）", None),
        ("冀财建[2020]131号2020年产粮大县奖励资金（商品粮大省奖励资金）（上年结转）",
         None),  # data/004 line 1157
        ("白沟新城企业服务中心项目运营资金", None),  # data/000 line 594
        ("粮食流通统计调查及市场检测预警", None),  # data/004 line 228
        ("经费（原市管会自收自支）", None),  # data/000 line 1320
        ("贯彻落实党中央、省委、市委和县委关于发展改革工作的方针政策", None),  # data/004 line 2360
        ("县级财政配套资金", "county"),  # constructed
        ("区级财政资金", "district"),  # constructed
        ("市本级专项资金", "city"),  # constructed
        ("中央企业专项资金", None),  # constructed
        ("省级和中央资金", "provincial"),  # constructed: the first word wins
    ],
)
def test_funding_level(name, level):
    assert funding_level(name) == level


@pytest.mark.parametrize(
    "name, year",
    [
        ("2025年中央就业补助资金 保财社【2025】19号", 2025),  # data/002 line 393
        # data/002 line 495
        ("2026年度下派选调生到村工作中央财政补助资金 保财行【2025】12号", 2026),
        ("提前下达2025-2026年采暖季农村煤改气用户天然气终端销售价格补贴（保财资环[2026]4号））",
         2025),  # data/000 line 1864
        ("冀财教(2020)181号河北省财政厅 河北省科学技术厅关于提前下达2021年省级支持市县科技创新",
         2021),  # data/004 line 741: not the 2020 inside the number
        ("提前下达2025年中央就业补助资金-保财社【2024】87号", 2025),  # data/002 line 2216
        ("邢市财建【2020】95号文件", None),  # data/004 line 3149
        ("白沟新城企业服务中心项目运营资金", None),  # data/000 line 594
        ("13060526P00008610006L", None),  # data/002 line 582
        ("冀财社2021152号专项资金", None),  # constructed: bracketless number
    ],
)
def test_funds_year(name, year):
    assert funds_year(name) == year


@pytest.mark.parametrize(
    "name, expected",
    [
        ("邢市财环资[2020]64号洁净煤补贴（弥补2019年）（上年结转）", True),  # data/004 line 824
        # 004 l.1157
        ("冀财建[2020]131号2020年产粮大县奖励资金（商品粮大省奖励资金）（上年结转）", True),
        ("2025年结余资金", True),  # constructed
        ("办公经费", False),
    ],
)
def test_is_carried_over(name, expected):
    assert is_carried_over(name) is expected


def test_is_classified():
    assert is_classified("anke替代经费项目涉密") is True  # data/000 line 171
    assert is_classified("anke替代经费") is False  # data/002 line 935
