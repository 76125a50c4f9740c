#!/usr/bin/env python3
"""Deterministic synthetic risk-point records for the SQL cross-check.

Usage: make_synthetic.py --count N --seed S -o FILE

Writes a UTF-8 CSV in the default schema (English header) plus one column the
rules do not know, `remark`, which a grader must carry through. Every row is
valid under rules/default.yaml, ids are unique, and the same (count, seed)
always gives the same bytes (python3 standard library only).

The data exercise what a byte-for-byte ledger comparison can catch:
  * categories, trends and statuses written as codes, Chinese labels or aliases;
  * empty optional fields (weight moved to measured indicators), empty status
    and casualties (defaults), ASCII spaces/tabs around values, whitespace-only
    optional values (empty after trimming);
  * skewed head counts and losses, rare casualties, values exactly on the
    indicator breakpoints (people 0/49/50/51/999/1000/1001, casualties 0/2/3/9/10,
    loss 0 and 10000000, opinion 0 and 100), both date formats;
  * titles with commas, double quotes and (rarely) a line break, so that the
    ledger's CSV quoting is compared too;
  * many equal scores (the id tie-break decides) and ids whose byte order
    differs from a naive or locale-aware order (suffixes, Chinese prefixes);
  * PROBES: input combinations whose exact score is 70.00 or 45.00, or 69.995 /
    44.995 (rounds up onto the threshold), or 69.99 / 44.99, or another x.xx5
    tie; for many of them the binary floating-point raw score lies just below
    the tie (e.g. 69.99499999999999), so only the 1e9 snap of the contract
    rounds them up. They were found by an exact (fractions.Fraction) search
    over the linear/map/bins indicators.
"""

import argparse
import csv
import datetime
import random

HEADER = ["id", "title", "category", "subtype", "district", "township", "village", "grid",
          "responsible_unit", "responsible_person", "found_on", "status", "severity",
          "likelihood", "urgency", "people_involved", "trend", "opinion_heat", "casualties",
          "economic_loss", "remark"]

CATEGORY_SPELLINGS = {
    "political_security": ["政治安全", "政治安全风险", "political"],
    "public_order": ["社会治安", "社会治安风险", "治安"],
    "social_conflict": ["社会矛盾", "社会矛盾风险", "矛盾纠纷"],
    "public_safety": ["公共安全", "公共安全风险"],
    "cyber_security": ["网络安全", "网络安全风险"],
}
CATEGORY_SHARE = [("social_conflict", 34), ("public_safety", 25), ("public_order", 20),
                  ("cyber_security", 13), ("political_security", 8)]
TREND_LABEL = {"rising": "上升", "stable": "平稳", "easing": "下降"}
STATUS_LABEL = {"open": "未化解", "handling": "化解中", "resolved": "已化解", "closed": "已销号"}

# District -> townships (Guiyang-like).
DISTRICTS = {
    "南明区": ["花果园街道", "太慈桥街道", "中曹司街道", "遵义路街道", "后巢乡", "云关乡"],
    "云岩区": ["中华路街道", "北京路街道", "黔灵镇", "普陀路街道", "金关街道"],
    "花溪区": ["贵筑街道", "青岩镇", "石板镇", "党武镇", "久安乡", "溪北街道"],
    "乌当区": ["新天街道", "东风镇", "水田镇", "羊昌镇", "新场镇"],
    "白云区": ["大山洞街道", "艳山红镇", "沙文镇", "都拉布依族乡", "泉湖街道"],
    "观山湖区": ["金华园街道", "世纪城街道", "朱昌镇", "百花湖镇", "长岭街道"],
    "清镇市": ["红枫湖镇", "站街镇", "卫城镇", "新店镇", "巢凤街道"],
    "修文县": ["龙场街道", "扎佐街道", "六屯镇", "久长街道"],
    "息烽县": ["永靖镇", "小寨坝镇", "九庄镇", "温泉镇"],
    "开阳县": ["城关镇", "双流镇", "南江乡", "龙岗镇"],
}
DISTRICT_SHARE = [("南明区", 16), ("云岩区", 16), ("观山湖区", 13), ("花溪区", 12), ("白云区", 10),
                  ("乌当区", 9), ("清镇市", 8), ("修文县", 6), ("息烽县", 5), ("开阳县", 5)]
VILLAGE_HEAD = ["新华", "青山", "红岩", "金桥", "阳光", "和平", "团结", "幸福", "龙井", "柏杨",
                "石头", "松林", "大寨", "枫林", "翠湖", "桂花", "黔春", "安顺", "水口", "高坡"]
ESTATES = ["阳光花园小区", "金桥苑小区", "翠湖小区", "幸福里小区", "林城佳苑", "锦绣华庭",
           "滨河湾小区", "云锦小区", "某小区", "某安置小区", "老旧小区"]
ROADS = ["中华北路", "遵义路", "宝山北路", "花溪大道", "甲秀南路", "北京路", "黔灵西路",
         "金阳南路", "林城西路", "贵黄公路", "机场路", "兴筑路"]
SITES = ["某建筑工地", "某房地产项目工地", "某道路改造工地", "某物流园", "某商砼站"]
COMPANIES = ["某建筑公司", "某劳务公司", "某餐饮公司", "某物业公司", "某装饰公司", "某运输公司"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林龙潘田杜蒙韦"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华红兰飞鹏辉"

# Title patterns per category: (subtype, pattern). Placeholders: {estate} {road}
# {road2} {village} {site} {company} {n} {district}.
TITLES = {
    "social_conflict": [
        ("物业纠纷", "{estate}物业费纠纷"),
        ("物业纠纷", "{estate}业主与物业公司停车位纠纷"),
        ("邻里纠纷", "{village}邻里宅基地边界纠纷"),
        ("邻里纠纷", "{estate}楼上楼下噪音纠纷"),
        ("家庭纠纷", "{village}某户赡养老人家庭纠纷"),
        ("家庭纠纷", "某户婚姻家庭矛盾"),
        ("征地拆迁", "{road}片区征地拆迁补偿纠纷"),
        ("征地拆迁", "{village}征地补偿款分配矛盾"),
        ("欠薪纠纷", "{site}农民工讨薪"),
        ("欠薪纠纷", "{company}拖欠{n}名工人工资"),
        ("涉法涉诉", "{village}土地承包经营权涉诉信访"),
        ("劳动争议", "{company}劳动合同解除争议"),
    ],
    "public_safety": [
        ("安全生产", "{site}高处作业安全隐患"),
        ("安全生产", "{company}有限空间作业隐患"),
        ("道路交通", "{road}急弯路段事故多发"),
        ("道路交通", "{road}与{road2}交叉口信号灯故障"),
        ("消防安全", "{estate}消防通道堵塞"),
        ("消防安全", "{estate}电动车楼道违规充电"),
        ("食品药品", "{village}小学食堂食品安全隐患"),
        ("食品药品", "某药店销售过期药品"),
        ("危险化学品", "某加油站储油罐渗漏隐患"),
        ("地质灾害", "{village}滑坡隐患点"),
        ("自建房安全", "{village}经营性自建房结构隐患"),
    ],
    "public_order": [
        ("盗窃诈骗", "{estate}入室盗窃多发"),
        ("盗窃诈骗", "{road}沿街商铺夜间盗窃"),
        ("电信诈骗", "{village}多名村民遭遇冒充客服诈骗"),
        ("电信诈骗", "{estate}老年人保健品诈骗线索"),
        ("黑恶势力", "{road}农贸市场强揽生意线索"),
        ("涉毒", "某出租屋疑似吸毒人员聚集"),
        ("黄赌", "{village}某棋牌室涉嫌聚众赌博"),
        ("治安秩序", "{road}夜市酒后滋事"),
    ],
    "political_security": [
        ("邪教", "{village}发现邪教宣传品"),
        ("非法宗教", "{village}非法宗教聚会点"),
        ("境外渗透", "某境外组织在{district}活动线索"),
        ("意识形态", "{road}某培训机构散布不当言论"),
    ],
    "cyber_security": [
        ("网络舆情", "{estate}电梯故障网络舆情"),
        ("网络舆情", "{district}某学校食堂视频网络发酵"),
        ("有害信息", "某微信群传播{road}拆迁谣言"),
        ("网络诈骗", "某刷单返利诈骗群组"),
        ("网络诈骗", "{village}村民遭遇网络贷款诈骗"),
    ],
}
TITLE_TAILS = ["，涉及{n}户", "（第{n}次反映）", "，已多次调解未果", "，群众反映强烈", "，待核实"]
REMARKS = ["", "", "", "", "网格员走访发现", "群众来电反映", "12345热线转办", "上级交办",
           "已上报, 待核实", '群众称"多次反映无果"', "联合执法检查发现", "已约谈相关负责人"]

# Combinations whose exact score sits on a threshold or a rounding tie (see the
# module docstring). Fields: category, severity, urgency, likelihood,
# people_involved, trend, opinion_heat, casualties, economic_loss.
PROBES = [
    ('cyber_security', '3', '5', '4', '', '', '65.82', '0', ''),
    ('cyber_security', '3', '4', '3', '', '', '90.82', '0', ''),
    ('cyber_security', '3', '3', '4', '', '', '90.82', '0', ''),
    ('cyber_security', '3', '4', '4', '', '', '78.32', '0', ''),
    ('cyber_security', '3', '5', '3', '', '', '78.32', '0', ''),
    ('cyber_security', '3', '2', '5', '', '', '90.82', '0', ''),
    ('cyber_security', '1', '4', '4', '0', 'stable', '58.3', '0', ''),
    ('cyber_security', '3', '4', '1', '1000', 'easing', '45.8', '0', ''),
    ('cyber_security', '2', '2', '3', '1000', 'stable', '45.8', '0', ''),
    ('cyber_security', '1', '3', '5', '0', 'stable', '58.3', '0', ''),
    ('cyber_security', '2', '2', '2', '1000', 'stable', '58.3', '0', ''),
    ('cyber_security', '1', '3', '1', '1000', 'rising', '58.3', '0', ''),
    ('cyber_security', '1', '1', '3', '', '', '95', '0', ''),
    ('cyber_security', '4', '2', '1', '', '', '57.5', '0', ''),
    ('cyber_security', '1', '5', '5', '', '', '20', '0', ''),
    ('cyber_security', '1', '5', '4', '', '', '32.5', '0', ''),
    ('cyber_security', '1', '4', '4', '', '', '45', '0', ''),
    ('cyber_security', '1', '5', '1', '', '', '70', '0', ''),
    ('cyber_security', '1', '5', '4', '', '', '99.14', '0', ''),
    ('cyber_security', '1', '5', '5', '', '', '86.64', '0', ''),
    ('cyber_security', '1', '4', '5', '', '', '99.14', '0', ''),
    ('cyber_security', '5', '4', '1', '', 'rising', '72.47', '0', ''),
    ('cyber_security', '5', '4', '5', '1000', '', '22.47', '0', ''),
    ('cyber_security', '4', '5', '5', '', 'easing', '59.97', '0', ''),
    ('cyber_security', '2', '5', '5', '', '', '70', '0', ''),
    ('cyber_security', '2', '5', '4', '', '', '82.5', '0', ''),
    ('cyber_security', '2', '4', '5', '', '', '82.5', '0', ''),
    ('cyber_security', '2', '4', '4', '', '', '95', '0', ''),
    ('cyber_security', '2', '5', '3', '', '', '95', '0', ''),
    ('cyber_security', '2', '3', '5', '', '', '95', '0', ''),
    ('cyber_security', '2', '4', '2', '', '', '53.32', '0', ''),
    ('cyber_security', '2', '4', '4', '', '', '28.32', '0', ''),
    ('cyber_security', '2', '5', '4', '', '', '15.82', '0', ''),
    ('cyber_security', '2', '3', '5', '', '', '28.32', '0', ''),
    ('cyber_security', '2', '1', '2', '', '', '90.82', '0', ''),
    ('cyber_security', '2', '3', '2', '', '', '65.82', '0', ''),
    ('cyber_security', '1', '3', '5', '', '', '100', '0', ''),
    ('cyber_security', '1', '1', '2', '0', 'stable', '34.25', '0', ''),
    ('cyber_security', '2', '1', '3', '1000', 'easing', '59.75', '0', ''),
    ('cyber_security', '5', '2', '2', '1000', 'easing', '63.25', '0', ''),
    ('cyber_security', '2', '2', '1', '1000', 'easing', '1.75', '0', ''),
    ('cyber_security', '1', '2', '3', '', '', '71.5', '0', ''),
    ('cyber_security', '4', '1', '4', '0', 'stable', '24.75', '0', ''),
    ('cyber_security', '2', '5', '2', '1000', 'easing', '22.25', '0', ''),
    ('cyber_security', '4', '3', '3', '1000', 'easing', '90.75', '0', ''),
    ('cyber_security', '1', '4', '1', '', '', '73.5', '0', ''),
    ('cyber_security', '3', '2', '4', '', '', '63', '0', ''),
    ('cyber_security', '1', '4', '3', '1000', 'rising', '98.25', '0', ''),
    ('political_security', '5', '4', '4', '0', 'easing', '99.95', '0', ''),
    ('political_security', '4', '5', '4', '0', 'rising', '24.95', '0', ''),
    ('political_security', '3', '4', '5', '1000', 'easing', '99.95', '0', ''),
    ('political_security', '5', '3', '3', '1000', 'stable', '49.95', '0', ''),
    ('political_security', '4', '3', '5', '1000', 'stable', '24.95', '0', ''),
    ('political_security', '5', '2', '4', '1000', 'easing', '99.95', '0', ''),
    ('political_security', '4', '3', '1', '0', '', '79.91', '0', ''),
    ('political_security', '3', '1', '5', '', 'easing', '54.91', '0', ''),
    ('political_security', '4', '1', '2', '', 'rising', '29.91', '0', ''),
    ('political_security', '3', '5', '1', '0', '', '54.91', '0', ''),
    ('political_security', '3', '4', '1', '', 'stable', '54.91', '0', ''),
    ('political_security', '5', '1', '2', '0', '', '54.91', '0', ''),
    ('political_security', '1', '4', '5', '', 'stable', '5', '0', ''),
    ('political_security', '2', '4', '4', '0', 'stable', '25', '0', ''),
    ('political_security', '5', '1', '3', '0', 'easing', '50', '0', ''),
    ('political_security', '2', '2', '3', '1000', 'rising', '25', '0', ''),
    ('political_security', '4', '1', '3', '1000', 'easing', '25', '0', ''),
    ('political_security', '4', '2', '1', '1000', '', '30', '0', ''),
    ('political_security', '5', '3', '3', '', 'rising', '29.91', '0', ''),
    ('political_security', '5', '5', '1', '', 'rising', '29.91', '0', ''),
    ('political_security', '5', '3', '4', '0', '', '79.91', '0', ''),
    ('political_security', '4', '4', '4', '', '', '34.92', '0', ''),
    ('political_security', '5', '1', '5', '1000', 'easing', '99.9', '0', ''),
    ('political_security', '3', '5', '5', '1000', 'easing', '49.9', '0', ''),
    ('political_security', '4', '3', '5', '', 'stable', '55', '0', ''),
    ('political_security', '2', '5', '5', '1000', 'stable', '75', '0', ''),
    ('political_security', '4', '2', '5', '1000', 'stable', '75', '0', ''),
    ('political_security', '4', '4', '4', '', '', '35', '0', ''),
    ('political_security', '5', '2', '4', '1000', 'easing', '100', '0', ''),
    ('political_security', '4', '4', '3', '1000', 'rising', '25', '0', ''),
    ('political_security', '3', '3', '3', '0', 'easing', '99.95', '0', ''),
    ('political_security', '3', '1', '3', '1000', 'easing', '99.95', '0', ''),
    ('political_security', '1', '5', '4', '0', 'stable', '49.95', '0', ''),
    ('political_security', '4', '2', '1', '', '', '84.96', '0', ''),
    ('political_security', '1', '4', '3', '1000', 'stable', '49.95', '0', ''),
    ('political_security', '2', '4', '2', '1000', 'easing', '74.95', '0', ''),
    ('political_security', '3', '4', '5', '0', 'rising', '52.25', '0', ''),
    ('political_security', '3', '4', '5', '1000', 'stable', '44.75', '0', ''),
    ('political_security', '1', '5', '1', '1000', 'easing', '64.25', '0', ''),
    ('political_security', '5', '2', '5', '1000', 'stable', '67.25', '0', ''),
    ('political_security', '2', '5', '1', '0', 'stable', '81.75', '0', ''),
    ('political_security', '5', '3', '3', '1000', 'stable', '27.25', '0', ''),
    ('political_security', '5', '3', '4', '1000', 'easing', '62.25', '0', ''),
    ('political_security', '5', '5', '5', '1000', 'easing', '14.75', '0', ''),
    ('political_security', '1', '3', '2', '1000', 'rising', '31.75', '0', ''),
    ('political_security', '4', '3', '3', '1000', 'stable', '69.75', '0', ''),
    ('political_security', '5', '4', '3', '1000', 'stable', '19.75', '0', ''),
    ('political_security', '1', '5', '1', '1000', 'easing', '56.75', '0', ''),
    ('public_order', '4', '3', '2', '', '', '', '0', ''),
    ('public_order', '1', '3', '3', '1000', 'rising', '', '0', ''),
    ('public_order', '3', '4', '2', '0', '', '', '5', ''),
    ('public_order', '1', '4', '5', '0', 'easing', '', '10', ''),
    ('public_order', '5', '2', '1', '1000', 'easing', '', '0', ''),
    ('public_order', '5', '3', '1', '0', 'rising', '', '0', ''),
    ('public_order', '5', '2', '3', '1000', '', '', '5', ''),
    ('public_order', '1', '4', '5', '1000', 'rising', '', '10', ''),
    ('public_order', '5', '3', '5', '1000', 'easing', '', '0', ''),
    ('public_order', '5', '5', '2', '1000', 'stable', '', '0', ''),
    ('public_order', '5', '5', '4', '0', 'rising', '', '0', ''),
    ('public_order', '5', '2', '4', '1000', 'rising', '', '0', ''),
    ('public_safety', '2', '2', '3', '', '', '', '10', '0'),
    ('public_safety', '2', '2', '5', '', '', '', '1', '0'),
    ('public_safety', '5', '1', '2', '', '', '', '1', '0'),
    ('public_safety', '1', '5', '2', '', '', '', '10', '0'),
    ('public_safety', '2', '2', '2', '', '', '', '1', '10000000'),
    ('public_safety', '1', '1', '4', '', '', '', '1', '10000000'),
    ('public_safety', '5', '1', '5', '', '', '', '10', '0'),
    ('public_safety', '5', '1', '3', '', '', '', '5', '10000000'),
    ('public_safety', '5', '5', '4', '', '', '', '1', '0'),
    ('public_safety', '3', '3', '3', '', '', '', '10', '10000000'),
    ('public_safety', '4', '4', '3', '', '', '', '1', '10000000'),
    ('public_safety', '4', '4', '4', '', '', '', '10', '0'),
    ('social_conflict', '5', '3', '3', '', '', '89.94', '0', ''),
    ('social_conflict', '3', '4', '5', '', '', '39.94', '0', ''),
    ('social_conflict', '5', '4', '2', '', '', '64.94', '0', ''),
    ('social_conflict', '5', '2', '5', '', '', '39.94', '0', ''),
    ('social_conflict', '4', '5', '2', '', '', '64.94', '0', ''),
    ('social_conflict', '5', '3', '4', '', '', '14.94', '0', ''),
    ('social_conflict', '2', '5', '1', '', '', '39.88', '0', ''),
    ('social_conflict', '3', '5', '3', '0', '', '14.83', '0', ''),
    ('social_conflict', '4', '2', '4', '', 'easing', '49.85', '0', ''),
    ('social_conflict', '2', '4', '5', '0', '', '64.83', '0', ''),
    ('social_conflict', '3', '4', '4', '0', '', '39.83', '0', ''),
    ('social_conflict', '5', '1', '2', '', '', '64.88', '0', ''),
    ('social_conflict', '3', '2', '3', '', '', '90', '0', ''),
    ('social_conflict', '1', '3', '3', '', 'rising', '25', '0', ''),
    ('social_conflict', '3', '1', '2', '', 'rising', '100', '0', ''),
    ('social_conflict', '5', '1', '5', '0', '', '65', '0', ''),
    ('social_conflict', '1', '4', '3', '', '', '90', '0', ''),
    ('social_conflict', '1', '3', '4', '', 'stable', '100', '0', ''),
    ('social_conflict', '4', '4', '3', '', '', '89.88', '0', ''),
    ('social_conflict', '3', '2', '5', '1000', '', '89.83', '0', ''),
    ('social_conflict', '3', '5', '4', '', '', '14.88', '0', ''),
    ('social_conflict', '4', '4', '1', '1000', '', '89.83', '0', ''),
    ('social_conflict', '3', '5', '3', '', '', '89.88', '0', ''),
    ('social_conflict', '3', '5', '1', '1000', '', '89.83', '0', ''),
    ('social_conflict', '5', '1', '5', '', 'rising', '50', '0', ''),
    ('social_conflict', '5', '3', '4', '', '', '15', '0', ''),
    ('social_conflict', '2', '4', '5', '', 'rising', '50', '0', ''),
    ('social_conflict', '5', '3', '3', '', '', '90', '0', ''),
    ('social_conflict', '4', '4', '2', '1000', '', '15', '0', ''),
    ('social_conflict', '3', '4', '3', '1000', '', '40', '0', ''),
    ('social_conflict', '1', '4', '4', '', '', '14.94', '0', ''),
    ('social_conflict', '2', '3', '3', '', '', '89.94', '0', ''),
    ('social_conflict', '4', '3', '1', '', '', '39.94', '0', ''),
    ('social_conflict', '3', '2', '3', '', '', '89.94', '0', ''),
    ('social_conflict', '5', '2', '1', '', '', '39.94', '0', ''),
    ('social_conflict', '4', '1', '3', '', '', '89.94', '0', ''),
    ('social_conflict', '5', '5', '3', '1000', 'easing', '29.5', '0', ''),
    ('social_conflict', '5', '1', '3', '0', 'stable', '8.5', '0', ''),
    ('social_conflict', '5', '5', '5', '0', 'rising', '44.5', '0', ''),
    ('social_conflict', '3', '5', '3', '1000', 'stable', '99.5', '0', ''),
    ('social_conflict', '2', '3', '1', '', '', '61.5', '0', ''),
    ('social_conflict', '3', '1', '1', '0', 'stable', '25.5', '0', ''),
    ('social_conflict', '3', '4', '5', '1000', 'easing', '39.5', '0', ''),
    ('social_conflict', '1', '3', '1', '', '', '20.5', '0', ''),
    ('social_conflict', '5', '4', '4', '', '', '48.5', '0', ''),
    ('social_conflict', '2', '3', '5', '0', 'stable', '38.5', '0', ''),
    ('social_conflict', '1', '4', '4', '1000', 'rising', '24.5', '0', ''),
    ('social_conflict', '5', '5', '2', '', '', '14.5', '0', ''),
]


def weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.random() * total
    for value, w in pairs:
        x -= w
        if x < 0:
            return value
    return pairs[-1][0]


def person(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def spell_category(rng, code):
    r = rng.random()
    if r < 0.70:
        return code
    if r < 0.90:
        return CATEGORY_SPELLINGS[code][0]
    return rng.choice(CATEGORY_SPELLINGS[code][1:])


def spell_enum(rng, code, labels, label_share):
    return labels[code] if rng.random() < label_share else code


def level(rng):
    """A 1-5 assessment, mostly 2-3."""
    return str(weighted(rng, [(1, 14), (2, 30), (3, 31), (4, 17), (5, 8)]))


def people_involved(rng):
    r = rng.random()
    if r < 0.14:
        return ""
    if r < 0.20:
        return str(rng.choice((0, 49, 50, 51, 999, 1000, 1001)))
    if r < 0.62:
        return str(rng.randint(0, 10))
    if r < 0.86:
        return str(rng.randint(11, 49))
    if r < 0.96:
        return str(rng.randint(50, 200))
    if r < 0.99:
        return str(rng.randint(201, 999))
    return str(rng.randint(1000, 5000))


def trend(rng):
    code = weighted(rng, [("", 20), ("rising", 25), ("stable", 40), ("easing", 15)])
    return spell_enum(rng, code, TREND_LABEL, 0.25) if code else ""


def opinion_heat(rng, category):
    present = 0.75 if category in ("cyber_security", "political_security", "social_conflict") else 0.35
    if rng.random() >= present:
        return ""
    r = rng.random()
    if r < 0.04:
        return rng.choice(("0", "100"))
    v = min(100.0, rng.betavariate(1.6, 3.5) * 100)
    r = rng.random()
    if r < 0.35:
        return str(int(v))
    if r < 0.80:
        return f"{v:.1f}"
    return f"{v:.2f}"


def casualties(rng):
    r = rng.random()
    if r < 0.30:
        return ""
    if r < 0.90:
        return "0"
    return str(weighted(rng, [(1, 20), (2, 12), (3, 8), (4, 4), (5, 3), (6, 2), (8, 1),
                              (9, 2), (10, 2), (12, 1)]))


def economic_loss(rng):
    r = rng.random()
    if r < 0.35:
        return ""
    if r < 0.50:
        return "0"
    if r < 0.53:
        return rng.choice(("10000000", "10000001", "50000000"))
    v = 10 ** rng.uniform(2, 7.7)  # 100 .. 5e7 yuan
    if rng.random() < 0.7:
        return str(int(round(v, -2)))
    return f"{v:.2f}"


def found_on(rng):
    d = datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randint(0, 328))
    if rng.random() < 0.15:
        return f"{d.year}/{d.month}/{d.day}"
    return d.isoformat()


def status(rng):
    code = weighted(rng, [("open", 40), ("handling", 30), ("resolved", 10), ("closed", 6), ("", 14)])
    return spell_enum(rng, code, STATUS_LABEL, 0.3) if code else ""


def title(rng, category, district, village):
    subtype, pattern = rng.choice(TITLES[category])
    roads = rng.sample(ROADS, 2)
    text = pattern.format(estate=rng.choice(ESTATES), road=roads[0], road2=roads[1],
                          village=village, site=rng.choice(SITES), company=rng.choice(COMPANIES),
                          n=rng.randint(3, 60), district=district)
    r = rng.random()
    if r < 0.15:
        text += rng.choice(TITLE_TAILS).format(n=rng.randint(2, 40))
    elif r < 0.21:  # ASCII comma: the ledger must quote this title
        text += rng.choice((",涉及{n}户", ", 已多次调解", ",群众反映强烈")).format(n=rng.randint(2, 40))
    elif r < 0.24:  # ASCII double quotes: quoted, inner quotes doubled
        text = f'关于"{text}"的反映'
    elif r < 0.25:
        text = f'{text},"{rng.choice(("紧急", "重点", "挂牌督办"))}"'
    elif r < 0.252:  # a line break inside the title
        text += "\n（续报）"
    elif r < 0.256:
        text = ""
    return subtype, text


def pad(rng, value):
    """Surround a value with ASCII blanks that the grader must trim."""
    blanks = (" ", "  ", "\t", " \t")
    return rng.choice(blanks) + value + rng.choice(("",) + blanks)


def make_id(rng, number, district):
    r = rng.random()
    if r < 0.95:
        return f"R2026-{number:06d}"
    if r < 0.98:  # a point split into sub-points
        return f"R2026-{number:06d}-{rng.randint(1, 3)}"
    return f"{district[:2]}2026-{number:06d}"  # Chinese prefix: byte order, not locale order


def record(rng, number):
    district = weighted(rng, DISTRICT_SHARE)
    township = rng.choice(DISTRICTS[district])
    village = rng.choice(VILLAGE_HEAD) + rng.choice(("村", "社区", "村", "居委会"))
    probe = PROBES[rng.randrange(len(PROBES))] if rng.random() < 0.06 else None
    category = probe[0] if probe else weighted(rng, CATEGORY_SHARE)
    subtype, text = title(rng, category, district, village)
    row = {
        "id": make_id(rng, number, district),
        "title": text,
        "category": spell_category(rng, category),
        "subtype": subtype,
        "district": district,
        "township": township,
        "village": village,
        "grid": f"{village}第{rng.randint(1, 12)}网格",
        "responsible_unit": rng.choice((f"{township}综治中心", f"{district}应急管理局",
                                        f"{district}公安分局", f"{township}派出所",
                                        f"{district}市场监管局", f"{district}委网信办")),
        "responsible_person": person(rng),
        "found_on": found_on(rng),
        "status": status(rng),
        "severity": level(rng),
        "likelihood": level(rng),
        "urgency": level(rng),
        "people_involved": people_involved(rng),
        "trend": trend(rng),
        "opinion_heat": opinion_heat(rng, category),
        "casualties": casualties(rng),
        "economic_loss": economic_loss(rng),
        "remark": rng.choice(REMARKS),
    }
    if probe:
        _, sev, urg, lik, people, trend_code, opinion, cas, loss = probe
        row.update(severity=sev, urgency=urg, likelihood=lik, people_involved=people,
                   trend=spell_enum(rng, trend_code, TREND_LABEL, 0.25) if trend_code else "",
                   opinion_heat=opinion, economic_loss=loss,
                   casualties=rng.choice(("", "0")) if cas == "0" else cas)
    if rng.random() < 0.01:  # a line break inside a pass-through field
        row["remark"] = "走访记录：\n" + rng.choice(REMARKS[4:])
    if rng.random() < 0.04:
        for name in rng.sample(("title", "category", "district", "found_on", "status", "severity",
                                "likelihood", "urgency", "people_involved", "trend",
                                "opinion_heat", "casualties", "economic_loss"), rng.randint(1, 3)):
            row[name] = pad(rng, row[name])
    if rng.random() < 0.01:  # blank after trimming: takes the default / is not measured
        name = rng.choice(("status", "trend", "opinion_heat", "casualties", "economic_loss",
                           "people_involved"))
        row[name] = rng.choice((" ", "  ", "\t"))
    return row


def main():
    ap = argparse.ArgumentParser(description="Write deterministic synthetic risk-point records.")
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("-o", "--output", required=True)
    args = ap.parse_args()
    if args.count < 0:
        ap.error("--count must be >= 0")

    rng = random.Random(args.seed)
    # Unique numbers in random order, so the file is not sorted by id.
    numbers = rng.sample(range(1, max(1_000_000, 3 * args.count)), args.count)
    with open(args.output, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, quoting=csv.QUOTE_MINIMAL,
                                lineterminator="\n")
        writer.writeheader()
        for number in numbers:
            writer.writerow(record(rng, number))


if __name__ == "__main__":
    main()
