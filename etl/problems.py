"""Problems found in the input, and how they are shown to a person."""

from __future__ import annotations

from dataclasses import dataclass

SHOWN_AT_MOST = 50


@dataclass(frozen=True)
class Problem:
    file: str
    reason: str
    line: int | None = None        # physical line (CSV) or row (Excel), header = 1
    column: str | None = None
    value: str | None = None
    excel: bool = False

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"{'row' if self.excel else 'line'} {self.line}")
        if self.column is not None:
            where.append(f"column {self.column}")
        shown = "" if self.value is None else f'"{_printable(self.value)}" — '
        return f"{', '.join(where)}: {shown}{self.reason}"


def _printable(value: str, limit: int = 60) -> str:
    cleaned = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in value[: limit + 1])
    return cleaned if len(value) <= limit else cleaned[:limit] + "…"


class BuildFailed(Exception):
    """The build stopped; the previous warehouse is untouched."""

    def __init__(self, problems: list[Problem], headline: str = "The build found problems in the input") -> None:
        super().__init__(headline)
        self.problems = problems
        self.headline = headline

    def report(self) -> str:
        lines = [f"{self.headline}; the previous warehouse was left as it was."]
        if self.problems:
            lines.append(f"{len(self.problems):,} problem(s):")
            lines += [f"  {p}" for p in self.problems[:SHOWN_AT_MOST]]
            if len(self.problems) > SHOWN_AT_MOST:
                lines.append(f"  … and {len(self.problems) - SHOWN_AT_MOST:,} more (run with --lenient to get them all in rejects.csv)")
        return "\n".join(lines)
