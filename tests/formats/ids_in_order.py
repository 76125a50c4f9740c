#!/usr/bin/python3
"""Prints the ids of a ledger in row order, one a line, read the way each
format's own reader reads it: csv (module csv), json, jsonl, yaml (PyYAML),
md (the table's id column, cells split on unescaped pipes), xlsx (openpyxl,
sheet All), html (the highest grade's list, td.c-id). Usage:
ids_in_order.py FILE [ID_HEADER]"""
import csv
import json
import re
import sys

path = sys.argv[1]
key = sys.argv[2] if len(sys.argv) > 2 else "id"
ext = path.rsplit(".", 1)[-1]
if ext == "csv":
    with open(path, newline="", encoding="utf-8-sig") as f:
        ids = [row[key] for row in csv.DictReader(f)]
elif ext == "json":
    with open(path, encoding="utf-8") as f:
        ids = [row[key] for row in json.load(f)]
elif ext == "jsonl":
    with open(path, encoding="utf-8") as f:
        ids = [json.loads(line)[key] for line in f]
elif ext == "yaml":
    import yaml
    with open(path, encoding="utf-8") as f:
        ids = [row[key] for row in yaml.safe_load(f)]
elif ext == "md":
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    split = lambda line: [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
    at = split(lines[0]).index(key)
    ids = [split(line)[at] for line in lines[2:]]
elif ext == "xlsx":
    import openpyxl
    ws = openpyxl.load_workbook(path).worksheets[1]  # "All" (全部 with --lang zh)
    rows = ws.iter_rows(values_only=True)
    at = list(next(rows)).index(key)
    ids = [row[at] for row in rows]
elif ext == "html":
    with open(path, encoding="utf-8") as f:
        ids = re.findall(r'<td class="c-id">([^<]*)</td>', f.read())
else:
    sys.exit(f"unknown ledger format: {path}")
print("\n".join(ids))
