"""Reading raw export files into Arrow tables of trimmed text.

Form is forgiven here (encoding, delimiter, header spelling, Excel cell types);
meaning is checked later, in records.py. Every table carries `_line`, the
physical line (CSV) or row (Excel) of each record, for error messages.
"""

from __future__ import annotations

import codecs
import hashlib
import csv
import datetime as dt
import io
import mmap
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from etl.problems import Problem
from etl.schema import Kind, header_key, header_map, kind_of

CSV_SUFFIXES = {".csv", ".tsv", ".txt"}
EXCEL_SUFFIXES = {".xlsx"}
DELIMITERS = (",", ";", "\t")
_BLOCK = 1 << 24


@dataclass
class Source:
    path: Path
    kind: Kind

    @property
    def excel(self) -> bool:
        return self.path.suffix.lower() in EXCEL_SUFFIXES


@dataclass
class Inventory:
    sources: list[Source] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)   # files that are there but may not be read


def discover(raw_dir: Path) -> Inventory:
    """Files by kind, in name order (the order duplicate rules rely on)."""
    inventory = Inventory()
    for path in sorted(raw_dir.iterdir(), key=lambda p: p.name):
        kind = kind_of(path.name) if not path.is_symlink() and path.is_file() else None
        if path.is_symlink() and kind_of(path.name) is not None:
            # A link may lead anywhere on the machine (even /etc/passwd); exports are files in the folder.
            inventory.problems.append(Problem(path.name, "is a symbolic link, which is not followed (accepted: "
                                                         "export files placed in the folder itself; copy the file in)"))
        elif kind is None or path.name.startswith((".", "~$")):
            inventory.ignored.append(path.name)
        else:
            inventory.sources.append(Source(path, kind))
    return inventory


@dataclass
class RawTable:
    """One file's records as text columns named as in the contract."""
    table: pa.Table | None
    problems: list[Problem] = field(default_factory=list)          # the file cannot be used at all
    record_problems: list[Problem] = field(default_factory=list)   # single records that cannot be read
    extra_columns: list[str] = field(default_factory=list)
    blank_records: int = 0
    encoding: str | None = None
    delimiter: str | None = None
    sha256: str | None = None


def read_source(source: Source) -> RawTable:
    suffix = source.path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        return _read_excel(source)
    if suffix in CSV_SUFFIXES:
        return _read_csv(source)
    accepted = ", ".join(sorted(CSV_SUFFIXES | EXCEL_SUFFIXES))
    return RawTable(None, [Problem(source.path.name, f"not a CSV or Excel file (accepted: {accepted})")])


# --- CSV -------------------------------------------------------------------

def detect_encoding(path: Path, candidates: tuple[str, ...] = ("utf-8-sig", "cp1252")) -> str:
    """UTF-8 (with or without BOM) when the whole file decodes as such, else
    Windows-1252, else Latin-1 (which decodes anything)."""
    for encoding in candidates:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with path.open("rb") as handle:
                while block := handle.read(_BLOCK):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    return "latin-1"


def _first_record(path: Path, encoding: str) -> tuple[str, int]:
    """The header text (one logical record) and how many lines it spans."""
    with path.open(encoding=encoding, newline="") as handle:
        text = handle.read(1 << 20)
    reader = csv.reader(io.StringIO(text))
    try:
        next(reader)
    except (StopIteration, csv.Error):
        return "", 0
    lines = text.splitlines(keepends=True)[: reader.line_num]
    return "".join(lines), reader.line_num


def detect_delimiter(header: str) -> str:
    """The candidate that splits the header into the most fields."""
    def width(delimiter: str) -> int:
        try:
            return len(next(csv.reader(io.StringIO(header), delimiter=delimiter)))
        except (StopIteration, csv.Error):
            return 0
    return max(DELIMITERS, key=width)


MAX_LINE_BYTES = 1 << 20


@dataclass
class Scan:
    """What one pass over a file's bytes tells, before parsing it."""
    sha256: str
    utf8: bool
    overlong_line: int | None      # the first line longer than MAX_LINE_BYTES
    first_blank: int | None        # byte offset of the first empty line
    last_content: int              # byte offset of the last byte that is not white space
    first_quote: int | None        # byte offset of the first double quote
    utf8_sequences: bool = False   # holds well-formed UTF-8 beyond ASCII (with utf8 False: mixed encodings?)


# Well-formed UTF-8 beyond ASCII; in Windows-1252 text such pairs ("Ã¤") hardly ever occur.
_UTF8_SEQUENCE = re.compile(rb"[\xC2-\xDF][\x80-\xBF]|[\xE0-\xEF][\x80-\xBF]{2}|[\xF0-\xF4][\x80-\xBF]{3}")


def scan(path: Path) -> Scan:
    """Hash, UTF-8 check, line lengths, empty lines and quotes, in one pass of
    fixed-size blocks: memory stays bounded whatever the file holds."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    utf8, overlong, first_blank, first_quote, sequences = True, None, None, None, False
    last_content, offset, line, line_start = -1, 0, 1, 0
    previous_newline = -2
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            if utf8:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError:
                    utf8 = False
            if not sequences:
                sequences = _UTF8_SEQUENCE.search(block) is not None
            data = np.frombuffer(block, dtype=np.uint8)
            if first_quote is None and (q := block.find(b'"')) >= 0:
                first_quote = offset + q
            content = len(block.rstrip(b" \t\r\n"))
            if content:
                last_content = offset + content - 1
            ends = np.flatnonzero(data == 10) + offset
            if overlong is None:
                starts = np.concatenate(([line_start], ends[:-1] + 1)) if ends.size else np.array([line_start])
                lengths = (ends - starts) if ends.size else np.array([offset + len(block) - line_start])
                long = np.flatnonzero(lengths > MAX_LINE_BYTES)
                if long.size:
                    overlong = line + int(long[0])
                elif not ends.size and offset + len(block) - line_start > MAX_LINE_BYTES:
                    overlong = line
            if first_blank is None and ends.size:
                previous = np.concatenate(([previous_newline], ends[:-1]))
                gap = ends - previous
                blank = gap == 1
                if (gap == 2).any():
                    cr = (gap == 2) & (np.concatenate(([0], data))[np.clip(ends - offset, 0, None)] == 13)
                    blank |= cr
                if (hits := np.flatnonzero(blank)).size:
                    first_blank = int(ends[hits[0]])
                if previous_newline == -2 and ends[0] == 0:
                    first_blank = 0
            if ends.size:
                line += int(ends.size)
                line_start = int(ends[-1]) + 1
                previous_newline = int(ends[-1])
            offset += len(block)
            if overlong is not None:
                break  # no point reading a file that will be refused
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return Scan(digest.hexdigest(), utf8, overlong, first_blank, last_content, first_quote, sequences)


def _mixed_encodings(path: Path) -> tuple[list[int], list[int]]:
    """Lines that are UTF-8 beyond ASCII, and lines that are not UTF-8 at all (read line by line:
    only for files that have both kinds of bytes)."""
    utf8_lines, other_lines = [], []
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if line.isascii():
                continue
            try:
                line.decode("utf-8")
                utf8_lines.append(number)
            except UnicodeDecodeError:
                other_lines.append(number)
    return utf8_lines, other_lines


def _lines(numbers: list[int], shown: int = 5) -> str:
    listed = ", ".join(str(n) for n in numbers[:shown])
    return listed + (f" and {len(numbers) - shown:,} more" if len(numbers) > shown else "")


def _read_csv(source: Source) -> RawTable:
    name = source.path.name
    facts = scan(source.path)
    if facts.overlong_line is not None:
        return RawTable(None, [Problem(name, f"a line longer than {MAX_LINE_BYTES:,} bytes: not an export of records "
                                             "(accepted: one record per line, values of reasonable length)",
                                       line=facts.overlong_line)], sha256=facts.sha256)
    if not facts.utf8 and facts.utf8_sequences:
        utf8_lines, other_lines = _mixed_encodings(source.path)
        if utf8_lines and other_lines:
            return RawTable(None, [Problem(
                name, f"mixes text encodings: line(s) {_lines(utf8_lines)} are UTF-8 but line(s) {_lines(other_lines)} "
                      "are not (e.g. Windows-1252), so letters such as ä and ö would be read wrongly (accepted: one "
                      "encoding for the whole file, preferably UTF-8; save the file again from the exporting system)",
                line=other_lines[0])], sha256=facts.sha256)
    encoding = "utf-8-sig" if facts.utf8 else detect_encoding(source.path, ("cp1252",))
    header_text, header_lines = _first_record(source.path, encoding)
    if not header_text.strip():
        return RawTable(None, [Problem(name, "the file is empty (accepted: a header line, then one line per record)")],
                        sha256=facts.sha256)
    delimiter = detect_delimiter(header_text)
    headers = next(csv.reader(io.StringIO(header_text), delimiter=delimiter))
    columns, result = _match_headers(source, headers)
    result.sha256 = facts.sha256
    if result.problems:
        return result
    result.encoding, result.delimiter = encoding, delimiter

    records: dict[str, pa.Array] | None = None
    # Arrow skips empty lines silently, which would shift line numbers; such files go to the exact reader.
    inner_blank = facts.first_blank is not None and facts.first_blank < facts.last_content
    if not inner_blank:
        header_bytes = len(header_text.encode(encoding)) + (3 if encoding == "utf-8-sig" else 0)
        quoted = facts.first_quote is not None and facts.first_quote >= header_bytes
        if facts.first_quote is not None and facts.first_quote < header_bytes:
            quoted = _has_quote_after(source.path, header_bytes)
        records = _read_csv_fast(source.path, encoding, delimiter, len(headers), header_lines, quoted)
    if records is None:
        records, result.record_problems = _read_csv_exact(
            source.path, encoding, delimiter, len(headers), header_lines, name)
    return _finish(result, columns, records)


def _has_quote_after(path: Path, start: int) -> bool:
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        return data.find(b'"', start) >= 0


def _read_csv_fast(path: Path, encoding: str, delimiter: str, width: int, header_lines: int,
                   quoted: bool) -> dict[str, pa.Array] | None:
    """Arrow's multi-threaded reader; None when the file needs the exact reader."""
    names = [f"c{i}" for i in range(width)]
    try:
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(encoding="utf8" if encoding == "utf-8-sig" else encoding,
                                           column_names=names, skip_rows=header_lines, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, UnicodeDecodeError):
        return None
    if not quoted:
        # No quotes, so no value spans lines: record i is on line header + 1 + i.
        lines = pa.array(np.arange(header_lines + 1, header_lines + 1 + table.num_rows, dtype=np.int64))
        return {**{n: table[n] for n in names}, "_line": lines}
    # A quoted value may span lines: each record starts after the lines of all before it.
    newlines = None
    for name in names:
        count = pc.count_substring(table[name], "\n")
        newlines = count if newlines is None else pc.add(newlines, count)
    spans = pc.add(newlines, 1) if newlines is not None else pa.array([1] * table.num_rows)
    ends = pc.cumulative_sum(pc.cast(spans, pa.int64()))
    lines = pc.add(pc.subtract(ends, pc.cast(spans, pa.int64())), header_lines + 1)
    return {**{n: table[n] for n in names}, "_line": lines}


def _read_csv_exact(path: Path, encoding: str, delimiter: str, width: int, header_lines: int,
                    name: str) -> tuple[dict[str, pa.Array], list[Problem]]:
    """Python's csv reader, line by line: exact line numbers for files with
    blank lines or ragged records, and a precise message for each fault."""
    problems: list[Problem] = []
    columns: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    csv.field_size_limit(1 << 30)
    with path.open(encoding=encoding, newline="", errors="strict") as handle:
        reader = csv.reader(handle, delimiter=delimiter)
        try:
            next(reader)
            previous = reader.line_num
            for row in reader:
                start, previous = previous + 1, reader.line_num
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    if len(row) > width and not any(v.strip() for v in row[width:]):
                        row = row[:width]
                    else:
                        problems.append(Problem(name, f"has {len(row)} fields where the header has {width} "
                                                      f"(accepted: one field per header column, delimiter {delimiter!r})",
                                                line=start))
                        continue
                lines.append(start)
                for values, value in zip(columns, row):
                    values.append(value)
        except csv.Error as error:
            problems.append(Problem(name, f"cannot be read as CSV: {error}", line=reader.line_num + 1))
    arrays = {f"c{i}": pa.array(values, pa.string()) for i, values in enumerate(columns)}
    return {**arrays, "_line": pa.array(lines, pa.int64())}, problems


# --- Excel -----------------------------------------------------------------

def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _read_excel(source: Source) -> RawTable:
    from python_calamine import CalamineWorkbook

    name = source.path.name
    try:
        sheet = CalamineWorkbook.from_path(str(source.path)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception as error:  # calamine raises its own types for every kind of broken file
        return RawTable(None, [Problem(name, f"cannot be read as an Excel workbook ({type(error).__name__}) "
                                              "(accepted: .xlsx with the header in the first row of the first sheet)")])
    if not rows:
        return RawTable(None, [Problem(name, "the first sheet is empty (accepted: header in row 1, one record per row)")])
    headers = [_cell_text(v) for v in rows[0]]
    columns, result = _match_headers(source, headers)
    if result.problems:
        return result
    width = len(headers)
    # Excel cells arrive as Python objects; a sheet holds at most ~1M rows.
    body = [[_cell_text(v) for v in row[:width]] + [""] * (width - len(row)) for row in rows[1:]]
    arrays = {f"c{i}": pa.array([r[i] for r in body], pa.string()) for i in range(width)}
    arrays["_line"] = pa.array(range(2, len(body) + 2), pa.int64())
    return _finish(result, columns, arrays)


# --- shared ----------------------------------------------------------------

def _match_headers(source: Source, headers: list[str]) -> tuple[dict[str, str], RawTable]:
    """Map file columns (c0, c1 …) to contract names; report extras and gaps."""
    name = source.path.name
    wanted = header_map(source.kind)
    result = RawTable(None)
    columns: dict[str, str] = {}
    for i, header in enumerate(headers):
        canonical = wanted.get(header_key(header))
        if canonical is None:
            if header.strip():
                result.extra_columns.append(header.strip())
        elif canonical in columns.values():
            result.problems.append(Problem(name, f"column {canonical} is given twice (accepted: each column once)",
                                           line=1, column=header.strip(), excel=source.excel))
        else:
            columns[f"c{i}"] = canonical
    missing = [c for c in source.kind.columns if c.required and c.name not in columns.values()]
    if missing:
        # Without its header, a file's first record would be listed as "extra columns": identifiers and all.
        result.extra_columns = []
    if missing and not columns:
        required = ", ".join(c.name for c in source.kind.columns if c.required)
        result.problems.append(Problem(name, f"the first line is not a header: it names no column of a "
                                             f"{source.kind.name} export (accepted: a header line with {required} …)",
                                       line=1, excel=source.excel))
        return columns, result
    for column in missing:
        result.problems.append(Problem(
            name, f"required column {column.name} is missing (accepted header: {column.name} or {column.alias})",
            line=1, excel=source.excel))
    return columns, result


def _finish(result: RawTable, columns: dict[str, str], arrays: dict[str, pa.Array]) -> RawTable:
    """Trim, turn blanks into nulls, drop records with no value at all."""
    cleaned: dict[str, pa.Array] = {}
    for source_name, canonical in columns.items():
        trimmed = pc.utf8_trim_whitespace(arrays[source_name])
        cleaned[canonical] = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
    cleaned["_line"] = arrays["_line"]
    table = pa.table(cleaned)
    data_columns = [c for c in columns.values()]
    blank = None
    for c in data_columns:
        is_null = pc.is_null(table[c])
        blank = is_null if blank is None else pc.and_(blank, is_null)
    if blank is not None and table.num_rows:
        result.blank_records = pc.sum(pc.cast(blank, pa.int64())).as_py() or 0
        if result.blank_records:
            table = table.filter(pc.invert(blank))
    result.table = table
    return result
