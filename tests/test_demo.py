"""The bundled demo: calibrated to the published figures, deterministic, varied in form."""

import hashlib

import duckdb

from etl.demo import write_demo


def query(warehouse, sql):
    con = duckdb.connect()
    for table in ("staff", "students", "mobility", "partners"):
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{warehouse}/{table}/**/*.parquet')")
    return con.execute(sql).fetchall()


def test_international_professors_9_percent_in_2010_and_27_in_2022(demo_warehouse):
    shares = dict(query(demo_warehouse, """
        SELECT year, round(100 * count(*) FILTER (is_international) / count(citizenship))
        FROM staff WHERE staff_group = 'professor' GROUP BY year"""))
    assert shares[2010] == 9
    assert shares[2022] == 27


def test_demo_is_shaped_like_the_university(demo_warehouse):
    professors = dict(query(demo_warehouse, "SELECT year, count(*) FROM staff WHERE staff_group = 'professor' GROUP BY 1"))
    assert 220 <= professors[2010] <= 240 and all(380 <= professors[y] <= 400 for y in range(2016, 2026))
    staff = dict(query(demo_warehouse, "SELECT year, count(*) FROM staff GROUP BY 1"))
    assert all(3900 <= n <= 4500 for n in staff.values())
    teaching = dict(query(demo_warehouse, """SELECT year, count(*) FILTER (is_international) / count(citizenship)
        FROM staff WHERE staff_group <> 'other' GROUP BY 1"""))
    assert 0.45 <= teaching[2023] <= 0.50
    students = dict(query(demo_warehouse, "SELECT year, count(DISTINCT (person_key, level)) FROM students GROUP BY 1"))
    assert all(11_000 <= n <= 13_000 for n in students.values())
    doctoral = dict(query(demo_warehouse, """SELECT year, count(*) FILTER (is_international) / count(citizenship)
        FROM students WHERE level = 'doctoral' GROUP BY 1"""))
    assert 0.45 <= doctoral[2020] <= 0.55
    units = {u for (u,) in query(demo_warehouse, "SELECT DISTINCT unit FROM staff")}
    assert units == {"ARTS", "BIZ", "CHEM", "ELEC", "ENG", "SCI", "SERV"}


def test_mobility_has_a_pandemic_dip_and_the_unite_partners(demo_warehouse):
    flows = dict(query(demo_warehouse, "SELECT year || direction, count(*) FROM mobility GROUP BY 1"))
    for direction in ("incoming", "outgoing"):
        assert 850 <= flows[f"2019{direction}"] <= 1300
        assert flows[f"2020{direction}"] < 0.6 * flows[f"2019{direction}"]
        assert flows[f"2021{direction}"] < 0.8 * flows[f"2019{direction}"]
    members = {n for (n,) in query(demo_warehouse, "SELECT partner_name FROM partners WHERE list_contains(networks, 'Unite!')")}
    assert len(members) == 8 and "KTH Royal Institute of Technology" in members
    assert 250 <= query(demo_warehouse, "SELECT count(*) FROM partners")[0][0] <= 500


def test_small_countries_and_former_ones_exist_so_small_counts_are_real(demo_warehouse):
    small = query(demo_warehouse, """SELECT count(*) FROM (SELECT citizenship FROM staff WHERE year = 2022
        GROUP BY 1 HAVING count(*) BETWEEN 1 AND 4)""")[0][0]
    assert small >= 5


def test_the_exports_vary_as_real_ones_do(demo_raw):
    names = sorted(p.name for p in demo_raw.iterdir())
    assert any(n.endswith(".xlsx") and n.lower().startswith("staff") for n in names)
    assert any(n.endswith(".xlsx") and n.lower().startswith("students") for n in names)
    old = (demo_raw / "staff_2010.csv").read_bytes()
    assert old.startswith("Henkilönumero;".encode("cp1252"))       # Finnish headers, ; and Windows-1252
    text = old.decode("cp1252")
    assert "Venäjä" in text or "Saksa" in text
    assert ";" in text and ",5;" in text or ",0;" in text                 # decimal comma
    assert any("|" in line or ";Suomi;" not in line for line in text.splitlines())


def test_demo_is_deterministic(tmp_path, demo_raw):
    again = tmp_path / "again"
    write_demo(again)
    digest = lambda folder: {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}
    assert digest(again) == digest(demo_raw)


def test_demo_build_says_it_uses_the_published_key(demo_warehouse):
    import json
    manifest = json.loads((demo_warehouse / "manifest.json").read_text())
    assert manifest["synthetic_demo_data"] is True
    assert "demo key" in manifest["pseudonym_key_source"]
    assert all(f["rows_merged"] > 0 for f in manifest["files"] if f["kind"] == "students")
    assert sum(f["rows_merged"] for f in manifest["files"] if f["kind"] == "staff") > 0
