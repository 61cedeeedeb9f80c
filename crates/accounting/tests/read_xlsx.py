"""Reads an .xlsx with openpyxl (not the library that wrote it) and prints every sheet as
JSON: each row's values (dates as yyyy-mm-dd), and each numeric cell's number format."""
import datetime
import json
import sys

import openpyxl

book = openpyxl.load_workbook(sys.argv[1])
out = {}
for sheet in book.worksheets:
    rows = []
    for row in sheet.iter_rows():
        values = []
        for cell in row:
            v = cell.value
            if isinstance(v, datetime.datetime):
                values.append({"date": v.date().isoformat(), "format": cell.number_format})
            elif isinstance(v, bool) or v is None or isinstance(v, str):
                values.append(v)
            elif isinstance(v, (int, float)):
                values.append({"number": v, "format": cell.number_format})
            else:
                values.append(str(v))
        rows.append(values)
    out[sheet.title] = rows
json.dump(out, sys.stdout, ensure_ascii=False)
