"""The app's layers, as app/__init__.py describes them: each module imports only from its own layer and the
layers before it, only app.web imports Streamlit, and each package's docstring names every module in it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("words", "model", "present", "reports", "web")
MODULES = sorted((ROOT / "app").glob("*/*.py"))


def _imports(path: Path) -> set[str]:
    """Every module named in an import of the file, at any depth (also imports inside functions)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_the_layers_are_the_packages_and_no_module_sits_outside_them():
    packages = sorted(p.name for p in (ROOT / "app").iterdir() if (p / "__init__.py").exists())
    assert packages == sorted(LAYERS)
    assert sorted(p.name for p in (ROOT / "app").glob("*.py")) == ["__init__.py"]
    for layer in LAYERS:
        assert f"`app.{layer}`" in app.__doc__


@pytest.mark.parametrize("path", MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_module_imports_only_its_own_layer_and_those_before_it(path: Path):
    layer = LAYERS.index(path.parent.name)
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "app" and len(parts) > 1:
            assert LAYERS.index(parts[1]) <= layer, f"{path.relative_to(ROOT)} imports {name}"
        if parts[0] == "streamlit":
            assert path.parent.name == "web", f"{path.relative_to(ROOT)} imports Streamlit"


@pytest.mark.parametrize("layer", LAYERS)
def test_each_package_docstring_names_every_module_in_it(layer: str):
    package = ROOT / "app" / layer
    doc = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
    for module in package.glob("*.py"):
        if module.name != "__init__.py":
            assert f"({module.stem})" in doc or f"({module.stem} " in doc, f"app.{layer} does not mention {module.stem}"


def test_page_scripts_are_thin():
    """A page script starts the frame and draws; the pages laid out by hand stay short."""
    for script in [ROOT / "dashboard.py", *sorted((ROOT / "pages").glob("*.py"))]:
        names = _imports(script)
        assert not any(n.startswith(("app.model.metrics", "duckdb", "pandas")) for n in names), script.name
        assert len(script.read_text(encoding="utf-8").splitlines()) <= 70, script.name


def test_the_etl_docstring_names_every_stage_module():
    import etl

    for module in (ROOT / "etl").glob("*.py"):
        if module.stem not in ("__init__", "__main__"):
            named = {word for group in re.findall(r"\(([^)]*)\)", etl.__doc__) for word in re.findall(r"\w+", group)}
            assert module.stem in named or f"    {module.stem} " in etl.__doc__, module.stem
