"""Shared fixtures: the raw compendium kept in ``tests/data``, small press-article fixtures
written for the tests, the seeds in ../shared/seeds (extra checks) and the built-in corpus.

Seed ``001`` (the compendium of public government documents) is always available: it is
stored gzipped in ``tests/data/compendium_001.txt.gz``. The press seeds (000, 002, 003, 004)
may not be redistributed; each has a fixture of our own wording in ``tests/data`` with the
same artefacts (:func:`press_fixture`). Tests on the real seeds are extra checks, marked
``press_seeds``: without ``../shared/seeds`` they are deselected (and counted in the
summary), so a clean clone runs every test it collects and skips none for missing data.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from support import (COMPENDIUM_GZ, DATA, PRESS_FIXTURES, SEEDS,  # noqa: F401
                     compendium_text, press_fixture, seed_path)


def pytest_collection_modifyitems(config, items):
    if SEEDS.is_dir():
        return
    extra = [item for item in items if item.get_closest_marker("press_seeds")]
    if extra:
        config.hook.pytest_deselected(items=extra)
        items[:] = [item for item in items if not item.get_closest_marker("press_seeds")]
        config._press_seeds_deselected = len(extra)


def _lock_drift() -> list[str]:
    """Installed result-changing libraries whose version is not the one in
    requirements-lock.txt (README: "Reproducing an analysis exactly")."""
    import sys
    from importlib import metadata

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    from bri_text._util import RESULT_PACKAGES

    lock = Path(__file__).resolve().parents[1] / "requirements-lock.txt"
    if not lock.exists():
        return []
    env = {"python_version": f"{sys.version_info[0]}.{sys.version_info[1]}"}
    pins = {}
    for line in lock.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate(env):
                pins[canonicalize_name(req.name)] = next(iter(req.specifier)).version
    out = []
    for pkg in RESULT_PACKAGES:
        want = pins.get(canonicalize_name(pkg))
        try:
            have = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            have = None
        if want and have != want:
            out.append(f"{pkg} {have} (lock {want})")
    return out


def pytest_report_header(config):
    """The versions and tomotopy instruction set behind the results, and any drift from
    requirements-lock.txt: a value test that fails with newer libraries says why."""
    from bri_text._util import versions

    v = versions()
    lines = ["bri_text results depend on: " + ", ".join(f"{k} {v[k]}" for k in v)]
    drift = _lock_drift()
    lines.append("versions differing from requirements-lock.txt: " + (", ".join(drift)
                                                                       or "none"))
    return lines


def pytest_terminal_summary(terminalreporter, config):
    if terminalreporter.stats.get("failed"):
        drift = _lock_drift()
        if drift:
            terminalreporter.write_line(
                f"bri_text: some libraries differ from requirements-lock.txt ({', '.join(drift)}); "
                f"if a value changed, compare with `pip install -r requirements-lock.txt`")
    n = getattr(config, "_press_seeds_deselected", 0)
    if n:
        terminalreporter.write_line(f"{n} extra checks on the real press seeds deselected: "
                                    f"{SEEDS} not found (their fixtures in tests/data ran)")


@pytest.fixture(scope="module")
def dask_sync():
    """Dask's synchronous scheduler for a module's tests (one process, no cluster): what is
    tested is what the tasks compute. Use with ``pytestmark = pytest.mark.usefixtures(
    "dask_sync")`` after ``pytest.importorskip("dask")``."""
    import dask

    with dask.config.set(scheduler="sync"):
        yield


@pytest.fixture(scope="session")
def seed_text():
    def read(prefix: str) -> str:
        if prefix == "001":
            return compendium_text()
        return seed_path(prefix).read_text(encoding="utf-8")
    return read


@pytest.fixture(scope="session")
def fixture_text():
    """Text of our own press fixture for seed ``prefix`` (always available)."""
    def read(prefix: str) -> str:
        return press_fixture(prefix).read_text(encoding="utf-8")
    return read


@pytest.fixture(scope="session")
def bri_corpus():
    from bri_text import load_bri_policies

    return load_bri_policies()


@pytest.fixture(scope="session")
def tokens(bri_corpus):
    """The built-in corpus in paragraphs, segmented once with the default Tokenizer."""
    from bri_text import tokenize

    return tokenize(bri_corpus.reshape("paragraph"))


@pytest.fixture(scope="session")
def work_reports():
    """The built-in government work reports, 1954-2025 (one document per report)."""
    from bri_text import load_work_reports

    return load_work_reports()


@pytest.fixture(scope="session")
def work_tokens(work_reports):
    """The work reports as whole documents, segmented once with the default Tokenizer."""
    from bri_text import tokenize

    return tokenize(work_reports, progress=False)


@pytest.fixture(scope="session")
def matrix(tokens):
    """Count document-term matrix of :func:`tokens`."""
    from bri_text import dtm

    return dtm(tokens)
