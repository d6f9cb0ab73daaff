"""Builds that cannot lose data, and inputs that cannot crash the ETL."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.build import build
from etl.cli import main
from tests.rawfiles import STAFF_HEADER, STUDENT_HEADER, write_csv

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("staff", "students", "mobility", "partners", "agg_people", "agg_mobility")


def digest(folder: Path) -> dict[str, str]:
    folder = Path(os.path.realpath(folder))
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def complete(out: Path) -> bool:
    """The manifest's row counts match every table: one whole build."""
    manifest = json.loads((out / "manifest.json").read_text())
    con = duckdb.connect()
    return all(con.execute(f"SELECT count(*) FROM read_parquet('{out}/{t}/**/*.parquet')").fetchone()[0]
               == manifest["tables"][t]["rows"] for t in TABLES)


KILLER = """
import os, signal, sys, threading
from pathlib import Path
timer = threading.Timer(float(sys.argv[3]), lambda: os.kill(os.getpid(), signal.SIGKILL))
timer.daemon = True
timer.start()
from etl.build import build
build(Path(sys.argv[1]), Path(sys.argv[2]), say=lambda _: None, allow_shrink=True)   # the next build has a year fewer
"""


def test_sigkill_at_20_random_moments_leaves_the_old_or_the_new_warehouse(demo_raw, tmp_path):
    raw = tmp_path / "raw"
    os.system(f"cp -r '{demo_raw}' '{raw}'")
    out = tmp_path / "warehouse"
    build(raw, out, say=lambda _: None)
    old = digest(out)
    # The next build differs, so that old and new can be told apart.
    (raw / "staff_2025.csv").unlink()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", KILLER, str(raw), str(tmp_path / "timing"), "999"], cwd=ROOT, env=env,
                   check=True, capture_output=True)
    duration = time.perf_counter() - started
    moments = sorted(random.Random(20261128).uniform(0.05, duration * 1.1) for _ in range(20))
    outcomes = []
    for moment in moments:
        before = digest(out)
        subprocess.run([sys.executable, "-c", KILLER, str(raw), str(out), str(moment)], cwd=ROOT, env=env,
                       capture_output=True)
        after = digest(out)
        if after == before:
            outcomes.append("unchanged")
        else:
            assert complete(out), f"killed at {moment:.2f} s: a mixture"
            outcomes.append("new")
        assert complete(out)
    assert "unchanged" in outcomes            # most kills hit a build in progress
    assert digest(out) == old or complete(out)
    build(raw, out, say=lambda _: None, allow_shrink=True)   # and a later build still works and tidies up
    assert len([p for p in (tmp_path / ".warehouse-builds").iterdir() if p.is_dir()]) <= 2


# --- fuzzing ----------------------------------------------------------------------

def run_cli(raw: Path, out: Path, lenient: bool) -> tuple[int, str]:
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        code = main(["build", str(raw), "--out", str(out)] + (["--lenient"] if lenient else []))
    return code, stderr.getvalue()


def check_outcome(raw: Path, out: Path, code: int, message: str) -> None:
    assert "Traceback" not in message
    assert code in (0, 1), message            # 3 would be an unexpected error of ours
    if code == 0:
        manifest = json.loads((out / "manifest.json").read_text())
        for f in manifest["files"]:
            assert f["rows_read"] == f["rows_written"] + f["rows_merged"] + f["rows_rejected"]
    else:
        assert "problem" in message


files = st.one_of(
    st.binary(max_size=3000),                                                            # random bytes
    st.text(max_size=2000).map(lambda s: s.encode("utf-8", "surrogatepass")),           # random Unicode
    st.builds(lambda rows: (",".join(STAFF_HEADER) + "\n" + "\n".join(rows)).encode("utf-8", "surrogatepass"),
              st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80), max_size=30)),
    st.builds(lambda n, value: (",".join(STAFF_HEADER + [f"extra{i}" for i in range(n)]) + "\n"
                                + ",".join(["P1", "2020", "SCI", "other", value, "", "", ""] + ["x"] * n)).encode(),
              st.integers(0, 3000), st.sampled_from(["FI", "=cmd|' /C calc'!A0", "@SUM(A1)", "\x00", "Saksa"])),
    st.builds(lambda a, b: a.encode("utf-8") + b.encode("cp1252", "replace"),                # mixed encodings
              st.just("person_id;year;unit;staff_group;citizenship\nP1;2020;SCI;other;Venäjä\n"),
              st.just("P2;2020;SCI;other;Ruotsi;\x00\nP3;2021;ARTS;professori;Äänekoski\n")),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(content=files, name=st.sampled_from(["staff.csv", "students.csv", "staff.xlsx", "partners.txt",
                                            "mobility.csv"]), lenient=st.booleans())
def test_no_input_makes_the_etl_crash(content, name, lenient):
    with tempfile.TemporaryDirectory() as folder:
        raw = Path(folder) / "raw"
        raw.mkdir()
        (raw / name).write_bytes(content)
        write_csv(raw / "students_ok.csv", STUDENT_HEADER, [["S1", "2020", "master", "SCI", "DE", "1", ""]])
        out = Path(folder) / "w"
        code, message = run_cli(raw, out, lenient)
        check_outcome(raw, out, code, message)


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from Linux's /proc")
def test_a_1_gb_single_field_file_is_refused_with_bounded_memory(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    with (raw / "staff_huge.csv").open("wb") as handle:
        handle.write(b"person_id,year,unit,staff_group,citizenship\n\"")
        chunk = b"x" * (1 << 24)
        for _ in range(64):                 # 1 GiB in one quoted field
            handle.write(chunk)
        handle.write(b"\",2020,SCI,other,FI\n")
    # VmHWM is this process's own peak (ru_maxrss would include the parent's, inherited at fork).
    script = ("import re, sys; from etl.cli import main; code = main(['build', sys.argv[1], '--out', sys.argv[2]]);"
              "print(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1]); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", script, str(raw), str(tmp_path / "w")], cwd=ROOT,
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 1
    assert "staff_huge.csv, line 2: a line longer than" in result.stderr
    peak_mib = int(result.stdout.strip()) / 1024
    assert peak_mib < 400, f"peak memory {peak_mib:.0f} MiB"
