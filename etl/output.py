"""The warehouse table of one export kind, from its kept records: identifiers
replaced by pseudonyms, the contract's columns and types (`Kind.output`), in an
order that depends on the values only (the same input writes the same bytes,
and no order of the input shows through)."""

from __future__ import annotations

import duckdb

from etl.pseudonyms import Key, hmac_sql
from etl.schema import Kind


def select(con: duckdb.DuckDBPyConnection, kind: Kind, source: str, key: Key, home: str) -> str:
    """The SQL of the table's rows. Identifiers are hashed once per distinct value (relation `pseudonyms`)."""
    relation = source
    if kind.identifier is not None:
        con.execute(f"""CREATE OR REPLACE TEMP TABLE pseudonyms AS
                        SELECT id, {hmac_sql(key.secret, kind.name, 'id')} AS pseudonym
                        FROM (SELECT DISTINCT {kind.identifier.name} AS id FROM {source})""")
        relation = f"{source} JOIN pseudonyms ON {source}.{kind.identifier.name} = pseudonyms.id"
    columns = ", ".join(f'CAST({(out.sql or out.name).format(home=home)} AS {out.type}) AS "{out.name}"'
                        for out in kind.output)
    return f"SELECT {columns} FROM {relation} ORDER BY {kind.order}"
