"""The package's shape is checked, not hoped for: the layers and the no-cycle rule declared
in setup.cfg ([importlinter]) hold for every import in bri_text, lazy ones included."""
from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_import_linter_contracts_are_kept(capsys):
    from importlinter import cli  # in the test extra

    code = cli.lint_imports(config_filename=str(ROOT / "setup.cfg"))
    out = capsys.readouterr().out
    assert code == 0, out
    assert re.search(r"Contracts: 2 kept, 0 broken", out)


def test_every_module_has_a_layer():
    """A new module must be placed in a layer (else the contract says nothing about it)."""
    cfg = (ROOT / "setup.cfg").read_text(encoding="utf-8")
    layers = cfg[cfg.index("layers =") : cfg.index("[importlinter:contract:acyclic]")]
    declared = set(re.findall(r"bri_text\.([\w]+)", layers))
    modules = {p.stem if p.is_file() else p.name
               for p in (ROOT / "bri_text").iterdir()
               if (p.suffix == ".py" and p.stem != "__init__")
               or (p.is_dir() and (p / "__init__.py").is_file())}
    assert modules - declared == set()


def _private_imports() -> list[str]:
    """Imports that reach into another subpackage's private module or take a ``_name`` from
    it (``from ..compare._dictionary import _term_index``): what a stage takes from another
    must be a name the owner gives for the purpose (its ``CONTRACT`` list)."""
    import ast

    pkg_root = ROOT / "bri_text"
    subpackages = {p.name for p in pkg_root.iterdir() if (p / "__init__.py").is_file()}
    found = []
    for path in sorted(pkg_root.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        package = parts[:-1]                      # the package a relative import starts in
        own_top = parts[1] if len(parts) > 2 else None
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom):
                continue
            if node.level:
                base = package[:len(package) - node.level + 1]
                target = base + (node.module.split(".") if node.module else [])
            else:
                target = (node.module or "").split(".")
            if target[0] != "bri_text" or len(target) < 2 or target[1] not in subpackages \
                    or target[1] == own_top:
                continue
            names = [a.name for a in node.names]
            if any(p.startswith("_") for p in target[2:]) or \
                    any(n.startswith("_") and not n.startswith("__") for n in names):
                found.append(f"{'/'.join(parts)}.py: from {'.'.join(target)} import "
                             f"{', '.join(names)}")
    return found


def test_no_module_takes_private_names_from_another_subpackage():
    assert _private_imports() == []


def test_contracts_name_what_the_package_gives():
    """Each CONTRACT list names objects its package really exports."""
    import importlib

    for name in ("features", "segment", "cleaning", "compare", "report", "reuse", "io",
                 "instruments"):
        module = importlib.import_module(f"bri_text.{name}")
        missing = [n for n in module.CONTRACT if not hasattr(module, n)]
        assert missing == [], name
