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
