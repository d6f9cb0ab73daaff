"""Writing small raw exports for tests, in every form the input contract allows."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook

STAFF_HEADER = ["person_id", "year", "unit", "staff_group", "citizenship", "gender", "fte", "career_stage"]
STUDENT_HEADER = ["student_id", "year", "level", "unit", "citizenship", "new_entrant", "gender"]
MOBILITY_HEADER = ["mobility_id", "direction", "start_date", "end_date", "level", "unit", "partner_code",
                   "partner_name", "partner_country", "programme"]
PARTNER_HEADER = ["partner_code", "partner_name", "country", "city", "programmes", "networks", "valid_from", "valid_to"]


def write_csv(path: Path, header: list[str], rows: list[list], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
