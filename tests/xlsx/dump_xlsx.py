#!/usr/bin/python3
"""Reads a workbook back with openpyxl and prints what a person opening it
in Excel would meet: each sheet's name, frozen panes, autofilter range and
column widths, then every cell as a typed value (numbers bare, dates as
date:YYYY-MM-DD, text quoted), with its number format when it has one and
its fill colour when it is filled. Usage: dump_xlsx.py WORKBOOK"""
import datetime
import sys

import openpyxl


def cell_text(cell):
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, datetime.datetime):
        out = "date:" + v.strftime("%Y-%m-%d")
    elif isinstance(v, bool):
        out = "bool:" + str(v)
    elif isinstance(v, (int, float)):
        out = "num:" + repr(v)
    else:
        out = '"' + str(v).replace("\n", "\\n") + '"'
    if cell.number_format not in ("General",) and not isinstance(v, str):
        out += "[" + cell.number_format + "]"
    if cell.fill is not None and cell.fill.fill_type == "solid":
        out += "{fill " + str(cell.fill.fgColor.rgb) + "}"
    return out


def main():
    book = openpyxl.load_workbook(sys.argv[1])
    print("sheets:", ", ".join(book.sheetnames))
    for ws in book.worksheets:
        print(f"== {ws.title}: {ws.max_row} rows x {ws.max_column} columns; "
              f"frozen {ws.freeze_panes}; autofilter {ws.auto_filter.ref}")
        widths = [ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width
                  for c in range(1, ws.max_column + 1)]
        print("widths:", " ".join(f"{w:g}" for w in widths))
        for row in ws.iter_rows():
            print(" | ".join(cell_text(c) for c in row).rstrip(" |"))


if __name__ == "__main__":
    main()
