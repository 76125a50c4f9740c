#!/usr/bin/python3
"""Checks the wall map's DOM, as Chromium rendered it, against counts worked
out here from the CSV ledger, and that the screenshot and the printed PDF
are real. Usage: check_dom.py LEDGER.csv DOM.html SHOT.png PRINT.pdf"""
import collections
import csv
import re
import struct
import sys
from html.parser import HTMLParser

ledger_path, dom_path, png_path, pdf_path = sys.argv[1:5]
GRADES = ["A", "B", "C"]
# The default rules' category labels (rules/default.yaml), as --lang zh shows them.
LABELS = {"political_security": "政治安全", "public_order": "社会治安", "social_conflict": "社会矛盾",
          "public_safety": "公共安全", "cyber_security": "网络安全"}

with open(ledger_path, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
# A ledger graded with --lang zh: Chinese headers, category labels, 是/否 and
# grades written A级（重大）, B级（较大）, C级（一般）.
ZH = {"等级": "grade", "区县": "district", "类别": "category", "责任单位": "responsible_unit",
      "是否逾期": "overdue", "编号": "id"}
if rows and "等级" in rows[0]:
    codes = {label: code for code, label in LABELS.items()}
    rows = [{ZH.get(k, k): v for k, v in r.items()} for r in rows]
    for r in rows:
        r["category"] = codes[r["category"]]
        r["overdue"] = {"是": "yes", "否": "no"}[r["overdue"]]
        r["grade"] = {"A级（重大）": "A", "B级（较大）": "B", "C级（一般）": "C"}[r["grade"]]
grades = collections.Counter(r["grade"] for r in rows)
districts = collections.defaultdict(collections.Counter)
categories = collections.defaultdict(collections.Counter)
units = collections.defaultdict(collections.Counter)
for r in rows:
    districts[r["district"]][r["grade"]] += 1
    categories[LABELS[r["category"]]][r["grade"]] += 1
    if r["overdue"] == "yes":
        units[r["responsible_unit"]][r["grade"]] += 1
overdue = sum(r["overdue"] == "yes" for r in rows)
top_ids = [r["id"] for r in rows if r["grade"] == "A"]


class Dom(HTMLParser):
    def __init__(self):
        super().__init__()
        self.kpi = {}
        self.bars = collections.defaultdict(dict)  # chart -> name -> (total, {grade: n})
        self.matrix = collections.defaultdict(dict)  # category -> grade -> n
        self.list_ids = []
        self.chart = self.bar = self.category = None
        self.in_id = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = a.get("class", "")
        if tag == "div" and "kpi" in cls.split():
            self.kpi[a.get("id") or a.get("data-grade")] = int(a["data-count"])
        elif tag == "svg" and "data-chart" in a:
            self.chart = a["data-chart"]
        elif tag == "g" and cls == "bar":
            self.bar = a["data-name"]
            self.bars[self.chart][self.bar] = (int(a["data-count"]), {})
        elif tag == "rect" and self.bar is not None:
            self.bars[self.chart][self.bar][1][a["data-grade"]] = int(a["data-count"])
        elif tag == "tr" and "data-category" in a:
            self.category = a["data-category"]
        elif tag == "td" and self.category is not None and "data-grade" in a:
            self.matrix[self.category][a["data-grade"]] = int(a["data-count"])
        elif tag == "td" and cls == "c-id":
            self.in_id = True

    def handle_endtag(self, tag):
        if tag == "g":
            self.bar = None
        elif tag == "svg":
            self.chart = None
        elif tag == "tr":
            self.category = None
        elif tag == "td":
            self.in_id = False

    def handle_data(self, data):
        if self.in_id:
            self.list_ids.append(data)


dom = Dom()
with open(dom_path, encoding="utf-8") as f:
    dom.feed(f.read())

failures = []


def expect(what, got, want):
    if got != want:
        failures.append(f"{what}: the page shows {got!r}, the ledger gives {want!r}")


# The shipped example: 60 points, A 10, B 20, C 30 (examples/README.md).
expect("points", dom.kpi.get("count-points"), 60)
expect("grades", [dom.kpi.get(g) for g in GRADES], [10, 20, 30])
expect("points (ledger)", dom.kpi.get("count-points"), len(rows))
expect("grades (ledger)", [dom.kpi.get(g) for g in GRADES], [grades[g] for g in GRADES])
expect("overdue", dom.kpi.get("count-overdue"), overdue)
for chart, groups in (("district", districts), ("unit", units)):
    shown = {name: (total, per) for name, (total, per) in dom.bars[chart].items()}
    want = {name: (sum(c.values()), {g: n for g, n in c.items() if n}) for name, c in groups.items()}
    expect(f"{chart} bars", shown, want)
want_matrix = {label: {g: categories[label][g] for g in GRADES} for label in LABELS.values()}
expect("category x grade", dict(dom.matrix), want_matrix)
expect("A list ids in ledger order", dom.list_ids, top_ids)

with open(png_path, "rb") as f:
    head = f.read(24)
if head[:8] != b"\x89PNG\r\n\x1a\n":
    failures.append(f"{png_path}: not a PNG")
else:
    expect("screenshot size", struct.unpack(">II", head[16:24]), (1280, 1200))
with open(pdf_path, "rb") as f:
    pdf = f.read()
pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf))
if not pdf.startswith(b"%PDF") or pages < 1:
    failures.append(f"{pdf_path}: not a PDF with pages")
# A4 landscape: 297 x 210 mm = 841.89 x 595.28 points.
if not boxes or any(abs(float(w) - 841.89) > 1 or abs(float(h) - 595.28) > 1 for w, h in boxes):
    failures.append(f"{pdf_path}: pages are not A4 landscape: {boxes}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"wall map: {len(rows)} points, grades {[grades[g] for g in GRADES]}, {overdue} overdue, "
      f"{len(districts)} districts, {len(units)} units with overdue points, {len(top_ids)} A points; "
      f"{pages} A4 landscape page(s) printed")
