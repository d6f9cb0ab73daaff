"""Each export kind in one place (etl/schema.py): its checks, duplicate rule and warehouse table agree with
each other, with what a build writes, and with docs/warehouse.md."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from etl.schema import KINDS, Kind

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_a_build_writes_the_kinds_columns_and_types_in_order(kind: Kind, demo_warehouse):
    written = duckdb.sql("DESCRIBE SELECT * FROM read_parquet(?)",
                         params=[str(demo_warehouse / kind.name / "data.parquet")]).fetchall()
    assert [(name, sql_type) for name, sql_type, *_ in written] == [(o.name, o.type) for o in kind.output]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_contract_document_lists_the_kinds_columns_in_order(kind: Kind):
    text = (ROOT / "docs" / "warehouse.md").read_text(encoding="utf-8")
    paragraph = re.search(rf"^\*\*{kind.name}\*\* —(.*?)(?:\n\n)", text, re.S | re.M).group(1)
    assert re.findall(r"`([a-z_]+)`", paragraph)[:len(kind.output)] == [o.name for o in kind.output]


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_rules_name_only_the_kinds_own_columns(kind: Kind):
    inputs = {c.name for c in kind.columns}
    for check in kind.checks():
        assert set(re.findall(r"err_([a-z_]+)", check)) <= inputs, check
    if kind.keep_one is not None:
        assert {c.strip() for c in kind.keep_one.group.split(",")} <= inputs
    assert (kind.identifier is None) == all(o.sql != "pseudonym" for o in kind.output)
    for column in kind.order.split(","):
        assert column.strip() in {o.name for o in kind.output} | {"pseudonym"}


def test_person_level_rows_are_never_in_the_inputs_order():
    """Ordered by values (year and the pseudonym's column first), so no row order maps pseudonyms back to
    identifiers."""
    for kind in KINDS:
        if kind.identifier is not None:
            key = next(o.name for o in kind.output if o.sql == "pseudonym")
            assert kind.order.startswith("year") and key in [c.strip() for c in kind.order.split(",")], kind.name
