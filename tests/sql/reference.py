#!/usr/bin/env python3
"""Independent reference for the riskledger default policy (standard library only).

Grades a CSV in the default schema with the rules of rules/default.yaml, written
out by hand here (not read from the YAML), and prints the ledger with the
columns rank,id,title,category,district,score,grade.  It exists to check
policy.sql (and, through crosscheck.sh, the C++ tool) from a third side.

Floating point follows the scoring contract operation by operation:
    w_j      = given_j / (given weights of the row, added in the row's order)
    M        = sum of w_j over the measured indicators, in indicator file order
    points_j = scale * (w_j / M) * s_j      (evaluated left to right)
    raw      = sum of points_j in indicator file order, clamped to [0, scale]
    n        = round_half_away_from_zero(raw * 1e9)      (integer)
    units    = (n + 10**7 // 2) // 10**7                 (score * 100)

The input must be valid: any value the contract would reject raises an error,
so this script also checks that make_synthetic.py writes only valid rows.

Usage: reference.py DATA.csv [-o OUT.csv]
"""

import argparse
import csv
import datetime
import math
import re
import sys

SCALE = 100.0
PRECISION = 2
# Python's str.strip() with no argument strips Unicode whitespace too; the
# contract trims ASCII whitespace only.
ASCII_WS = " \t\n\r\f\v"

CATEGORY = {
    "political_security": "political_security", "政治安全": "political_security",
    "政治安全风险": "political_security", "political": "political_security",
    "public_order": "public_order", "社会治安": "public_order",
    "社会治安风险": "public_order", "治安": "public_order",
    "social_conflict": "social_conflict", "社会矛盾": "social_conflict",
    "社会矛盾风险": "social_conflict", "矛盾纠纷": "social_conflict",
    "public_safety": "public_safety", "公共安全": "public_safety",
    "公共安全风险": "public_safety",
    "cyber_security": "cyber_security", "网络安全": "cyber_security",
    "网络安全风险": "cyber_security",
}
STATUS = {
    "open": "open", "未化解": "open", "handling": "handling", "化解中": "handling",
    "resolved": "resolved", "已化解": "resolved", "closed": "closed", "已销号": "closed",
}
TREND = {"rising": "rising", "上升": "rising", "stable": "stable", "平稳": "stable",
         "easing": "easing", "下降": "easing"}
TREND_SCORE = {"rising": 1.0, "stable": 0.5, "easing": 0.0}

# Indicator file order and the row weights, each row in its own order.
INDICATORS = ["severity", "urgency", "likelihood", "scope", "trend", "opinion", "harm", "loss"]
WEIGHT_ROWS = {
    "political_security": [("severity", .30), ("urgency", .20), ("likelihood", .20),
                           ("scope", .10), ("trend", .10), ("opinion", .10)],
    "public_order": [("severity", .25), ("urgency", .20), ("likelihood", .20),
                     ("scope", .15), ("trend", .10), ("harm", .10)],
    "social_conflict": [("severity", .20), ("urgency", .20), ("likelihood", .15),
                        ("scope", .25), ("trend", .15), ("opinion", .05)],
    "public_safety": [("severity", .25), ("urgency", .15), ("likelihood", .20),
                      ("harm", .25), ("loss", .15)],
    "cyber_security": [("severity", .20), ("urgency", .15), ("likelihood", .15),
                       ("scope", .10), ("trend", .10), ("opinion", .30)],
}


def normalised_weights():
    out = {}
    for cat, row in WEIGHT_ROWS.items():
        total = 0.0
        for _, g in row:
            total += g
        out[cat] = {name: g / total for name, g in row}
    return out


WEIGHTS = normalised_weights()
GRADE_ORDER = {"A": 0, "B": 1, "C": 2}

INT_RE = re.compile(r"[0-9]+\Z")
NUM_RE = re.compile(r"[0-9]+(\.[0-9]+)?\Z")
DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z|([0-9]{4})/([0-9]{1,2})/([0-9]{1,2})\Z")


class Invalid(ValueError):
    pass


def parse_int(text, lo, hi, name):
    if not INT_RE.match(text):
        raise Invalid(f"{name}: not a plain whole number: {text!r}")
    v = int(text)
    if v < lo or (hi is not None and v > hi):
        raise Invalid(f"{name}: {v} out of range")
    return v


def parse_num(text, lo, hi, name):
    if not NUM_RE.match(text):
        raise Invalid(f"{name}: not a plain decimal number: {text!r}")
    v = float(text)  # correctly rounded, like strtod / fast_float
    if not math.isfinite(v) or v < lo or (hi is not None and v > hi):
        raise Invalid(f"{name}: {v} out of range")
    return v


def parse_date(text):
    m = DATE_RE.match(text)
    if not m:
        raise Invalid(f"found_on: bad date {text!r}")
    y, mo, d = [int(x) for x in (m.groups()[0:3] if m.group(1) else m.groups()[3:6])]
    datetime.date(y, mo, d)  # raises on an impossible date


def clamp01(x):
    return min(max(x, 0.0), 1.0)


def linear(v, lo, hi):
    return clamp01((v - lo) / (hi - lo))


def log_scale(v, lo, hi):
    return clamp01(math.log10(1 + max(v - lo, 0)) / math.log10(1 + (hi - lo)))


def harm_bins(v):
    for upper, s in ((0, 0.0), (2, 0.6), (9, 0.8)):
        if v <= upper:
            return s
    return 1.0


def grade_record(rec):
    """rec: dict of header -> text as read.

    Returns (trimmed fields, category code, raw score, score_units, grade)."""
    f = {k: (v or "").strip(ASCII_WS) for k, v in rec.items()}
    for name in ("id", "category", "found_on", "severity", "likelihood", "urgency"):
        if f.get(name, "") == "":
            raise Invalid(f"{name}: required")
    if f["category"] not in CATEGORY:
        raise Invalid(f"category: {f['category']!r}")
    cat = CATEGORY[f["category"]]
    status = f.get("status", "") or "open"
    if status not in STATUS:
        raise Invalid(f"status: {status!r}")
    parse_date(f["found_on"])
    sev = parse_int(f["severity"], 1, 5, "severity")
    lik = parse_int(f["likelihood"], 1, 5, "likelihood")
    urg = parse_int(f["urgency"], 1, 5, "urgency")
    people = parse_int(f["people_involved"], 0, None, "people_involved") if f.get("people_involved") else None
    trend = None
    if f.get("trend"):
        if f["trend"] not in TREND:
            raise Invalid(f"trend: {f['trend']!r}")
        trend = TREND[f["trend"]]
    opinion = parse_num(f["opinion_heat"], 0, 100, "opinion_heat") if f.get("opinion_heat") else None
    casualties = parse_int(f.get("casualties", "") or "0", 0, None, "casualties")
    loss = parse_num(f["economic_loss"], 0, None, "economic_loss") if f.get("economic_loss") else None

    values = {"severity": sev, "urgency": urg, "likelihood": lik, "scope": people,
              "trend": trend, "opinion": opinion, "harm": casualties, "loss": loss}
    transforms = {
        "severity": lambda v: linear(v, 1, 5),
        "urgency": lambda v: linear(v, 1, 5),
        "likelihood": lambda v: linear(v, 1, 5),
        "scope": lambda v: log_scale(v, 0, 1000),
        "trend": lambda v: TREND_SCORE[v],
        "opinion": lambda v: linear(v, 0, 100),
        "harm": harm_bins,
        "loss": lambda v: log_scale(v, 0, 10000000),
    }
    w = WEIGHTS[cat]
    measured = [j for j in INDICATORS if w.get(j, 0.0) > 0 and values[j] is not None]
    m = 0.0
    for j in measured:
        m += w[j]
    if m == 0:
        raise Invalid("nothing measured")
    raw = 0.0
    for j in measured:
        raw += SCALE * (w[j] / m) * transforms[j](values[j])
    raw = min(max(raw, 0.0), SCALE)
    units = score_units(raw)

    grade = "A" if units >= 7000 else "B" if units >= 4500 else "C"
    if casualties >= 3:
        grade = "A"
    if people is not None and people >= 50 and GRADE_ORDER[grade] > GRADE_ORDER["B"]:
        grade = "B"
    return f, cat, raw, units, grade


def score_units(raw):
    """Snap to 1e-9, then round half away from zero to PRECISION decimals."""
    x = raw * 1e9
    n = math.floor(x)
    if x - n >= 0.5:  # half away from zero (x >= 0)
        n += 1
    d = 10 ** (9 - PRECISION)
    return (n + d // 2) // d


def csv_field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data")
    ap.add_argument("-o", "--output", default="-")
    args = ap.parse_args()

    rows = []
    seen = set()
    with open(args.data, newline="", encoding="utf-8") as fh:
        for lineno, rec in enumerate(csv.DictReader(fh), start=2):
            try:
                f, cat, _, units, grade = grade_record(rec)
            except (Invalid, ValueError) as e:
                sys.exit(f"{args.data}: record {lineno}: invalid: {e}")
            if f["id"] in seen:
                sys.exit(f"{args.data}: duplicate id {f['id']!r}")
            seen.add(f["id"])
            rows.append((GRADE_ORDER[grade], -units, f["id"].encode("utf-8"),
                         f["id"], f.get("title", ""), cat, f.get("district", ""), units, grade))
    rows.sort()

    out = ["rank,id,title,category,district,score,grade\n"]
    for rank, (_, _, _, rid, title, cat, district, units, grade) in enumerate(rows, start=1):
        score = f"{units // 100}.{units % 100:02d}"
        out.append(",".join([str(rank), csv_field(rid), csv_field(title), cat,
                             csv_field(district), score, grade]) + "\n")
    data = "".join(out).encode("utf-8")
    if args.output == "-":
        sys.stdout.buffer.write(data)
    else:
        with open(args.output, "wb") as fh:
            fh.write(data)


if __name__ == "__main__":
    main()
