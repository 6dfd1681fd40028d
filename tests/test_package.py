"""Package-level promises: a fast, lazy import and a complete public API."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

import bri_text
from bri_text.errors import InputError, ParameterError

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements-lock.txt"


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)


def _lock() -> dict:
    """name -> [(version, marker)] of requirements-lock.txt."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    out: dict = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)                 # raises on a line pip could not read
        spec = list(req.specifier)
        assert len(spec) == 1 and spec[0].operator == "==", f"not pinned exactly: {line}"
        out.setdefault(canonicalize_name(req.name), []).append((spec[0].version, req.marker))
    return out


# ---------------------------------------------------------------- version and release
def test_version_is_written_once():
    """pyproject.toml reads the version from bri_text/_version.py; the CHANGELOG's newest
    release is that version, or, on a development version (``0.5.0.dev0``: what main holds
    between releases, so that results made with it do not claim the last release), an
    earlier release under a non-empty ``[Unreleased]`` section."""
    project = _pyproject()["project"]
    assert "version" not in project and "version" in project["dynamic"]
    assert _pyproject()["tool"]["setuptools"]["dynamic"]["version"] == {
        "attr": "bri_text._version.__version__"}
    # what setuptools reads at build time: the literal assigned in _version.py
    import ast

    tree = ast.parse((ROOT / "bri_text" / "_version.py").read_text(encoding="utf-8"))
    [built] = [ast.literal_eval(node.value) for node in tree.body
               if isinstance(node, ast.Assign) and node.targets[0].id == "__version__"]
    assert built == bri_text.__version__
    assert not re.search(r"__version__\s*=", (ROOT / "bri_text" / "__init__.py")
                         .read_text(encoding="utf-8"))
    from packaging.version import Version

    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## \[(\d+\.\d+\.\d+)\]", changelog, flags=re.M)
    assert "0.1.0" in releases
    version = Version(bri_text.__version__)
    if version.is_devrelease:
        unreleased = changelog.split("## [Unreleased]", 1)[1].split(f"## [{releases[0]}]")[0]
        assert Version(releases[0]) < version and unreleased.strip()
    else:
        assert releases[0] == bri_text.__version__


# ---------------------------------------------------------------- exact reproduction
def test_lock_file_pins_every_dependency_within_pyproject():
    """requirements-lock.txt (uv pip compile) parses, pins every core and test dependency
    exactly, and each pin satisfies pyproject.toml's range for Python 3.11."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lock = _lock()
    project = _pyproject()["project"]
    wanted = project["dependencies"] + [r for r in project["optional-dependencies"]["test"]
                                        if not r.startswith("bri_text")]
    env = {"python_version": "3.11", "python_full_version": "3.11.7",
           "sys_platform": "linux", "platform_system": "Linux"}
    for line in wanted:
        req = Requirement(line)
        pins = [v for v, marker in lock.get(canonicalize_name(req.name), [])
                if marker is None or marker.evaluate(env)]
        assert len(pins) == 1, f"{req.name}: {len(pins)} pins for Python 3.11 in {LOCK.name}"
        assert req.specifier.contains(pins[0], prereleases=True), \
            f"{req.name}=={pins[0]} in {LOCK.name} is outside pyproject's {req.specifier}"
    for name in ("numpy", "scipy", "pandas", "scikit-learn", "tomotopy", "gensim", "rjieba",
                 "jieba", "opencc"):
        assert name in lock


def test_manifest_records_every_result_changing_library():
    m = bri_text.manifest(timestamp=False)
    v = m["versions"]
    for pkg in ("numpy", "scipy", "pandas", "scikit-learn", "tomotopy", "gensim", "rjieba",
                "jieba", "opencc"):
        assert v[pkg] == metadata.version(pkg), pkg
    assert v["bri_text"] == bri_text.__version__ == m["bri_text"]
    assert v["python"] == ".".join(map(str, sys.version_info[:3]))
    import tomotopy

    assert v["tomotopy_isa"] == tomotopy.isa          # the same seed differs across ISAs
    # the BLAS numpy runs on (the topic models' NMF start uses it), as threadpoolctl sees it
    from threadpoolctl import threadpool_info

    blas = [i["internal_api"] for i in threadpool_info() if i["user_api"] == "blas"]
    assert v["blas"] is None if not blas else v["blas"].split()[0] == blas[0]


def test_manifest_diff_lists_what_differs(tmp_path):
    a = bri_text.manifest(bri_text.load_bri_policies(), parameters={"top_n": 15}, seed=1,
                          command="analysis.py")
    assert bri_text.manifest_diff(a, dict(a, created="2030-01-01")).empty   # time ignored
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(a, ensure_ascii=False), encoding="utf-8")
    assert bri_text.manifest_diff(path, a).empty                      # a saved manifest
    other = json.loads(path.read_text(encoding="utf-8"))
    other["versions"]["tomotopy_isa"] = "sse2"
    other["versions"]["numpy"] = "1.26.4"
    del other["versions"]["gensim"]
    other["parameters"]["top_n"] = 20
    diff = bri_text.manifest_diff(a, other)
    assert diff["key"].tolist() == ["parameters.top_n", "versions.gensim", "versions.numpy",
                                    "versions.tomotopy_isa"]
    row = diff.set_index("key").loc["versions.numpy"]
    assert row["a"] == metadata.version("numpy") and row["b"] == "1.26.4"
    assert diff.set_index("key").loc["versions.gensim", "b"] is None
    assert bri_text.manifest_diff(a, other, ignore=("versions",))["key"].tolist() == [
        "parameters.top_n"]
    with pytest.raises(InputError, match="nothing.json"):
        bri_text.manifest_diff(tmp_path / "nothing.json", a)
    with pytest.raises(ParameterError, match="manifest dict"):
        bri_text.manifest_diff(a, 3)


@pytest.mark.slow
def test_manifest_is_the_same_under_another_hash_seed(tmp_path):
    # audit s38 item 5: threadpoolctl listed numpy's and scipy's OpenBLAS builds in an order
    # that depended on PYTHONHASHSEED, so two identical set-ups differed in versions.blas
    import os

    code = ("import json, sys, bri_text as bt; "
            "json.dump(bt.manifest(seed=1, timestamp=False, command='run'), "
            "open(sys.argv[1], 'w'))")
    paths = []
    for h in ("0", "2"):
        path = tmp_path / f"manifest_{h}.json"
        subprocess.run([sys.executable, "-c", code, str(path)], check=True,
                       env={**os.environ, "PYTHONHASHSEED": h})
        paths.append(path)
    blas = [json.loads(p.read_text())["versions"]["blas"] for p in paths]
    assert blas[0] is None or blas[0].split(", ") == sorted(blas[0].split(", "))
    assert bri_text.manifest_diff(paths[0], paths[1]).empty


def test_import_is_lazy():
    code = ("import sys, bri_text; heavy = [m for m in ('jieba', 'rjieba', 'sklearn', 'gensim', "
            "'tomotopy', 'matplotlib', 'pandas', 'scipy', 'opencc') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_every_public_name_resolves():
    """Every exported name is the object of the module that defines it, and every public
    submodule in the package folder is reachable as an attribute (bt.trends was not)."""
    import importlib
    import pkgutil
    import types

    for name in bri_text.__all__:
        if name == "__version__":
            continue
        module = importlib.import_module(f"bri_text.{bri_text._EXPORTS[name]}")
        assert getattr(bri_text, name) is getattr(module, name), name
    folder = {m.name for m in pkgutil.iter_modules(bri_text.__path__)
              if not m.name.startswith("_")}
    assert {"trends", "plot", "datasets", "report", "distributed"} <= folder
    for name in folder:
        sub = getattr(bri_text, name)
        assert isinstance(sub, types.ModuleType) and sub.__name__ == f"bri_text.{name}"
    assert bri_text.Corpus.__module__ == "bri_text.corpus"


def test_dir_lists_the_public_names_only():
    names = dir(bri_text)
    assert "annotations" not in names and "importlib" not in names
    assert {"Corpus", "term_trends", "trends", "plot", "__version__"} <= set(names)
    assert not [n for n in names if n.startswith("_") and n != "__version__"]


def test_unknown_attribute_is_an_attribute_error():
    import pytest

    with pytest.raises(AttributeError, match="no_such_name"):
        bri_text.no_such_name


@pytest.mark.press_seeds
def test_no_press_article_text_in_package_or_fixtures():
    """The press seeds may be used as test fixtures, not shipped or copied: no stretch of
    20 characters of their text (16 or more of them hanzi) occurs in bri_text/ or in our own
    fixtures in tests/data. Extra check: skipped without ../shared/seeds."""
    import re
    from pathlib import Path

    from support import DATA, seed_path

    def stretches(text: str) -> set[str]:
        text = re.sub(r"\s+", "", text)
        return {text[i:i + 20] for i in range(len(text) - 19)
                if len(re.findall(r"[\u4e00-\u9fff]", text[i:i + 20])) >= 16}

    import opencc

    press = set()
    for prefix in ("000", "002", "003", "004"):
        text = seed_path(prefix).read_text(encoding="utf-8")
        press |= stretches(text) | stretches(opencc.OpenCC("t2s").convert(text))
    package = Path(bri_text.__file__).resolve().parent
    files = [p for p in package.rglob("*") if p.suffix in {".py", ".md", ".tsv", ".txt", ".jsonl"}]
    files += sorted(DATA.glob("*.txt"))
    copied = {p.name: sorted(stretches(p.read_text(encoding="utf-8")) & press)[:3]
              for p in files}
    assert {k: v for k, v in copied.items() if v} == {}


def test_clean_is_one_object_however_imported():
    """``bt.clean`` is a plain function and the steps are in ``bri_text.cleaning``, in any
    import order (a name must not mean a function or a module depending on what was
    imported first)."""
    code = ("import bri_text.cleaning, bri_text as bt, types; "
            "print(bt.clean('<p>２０１５ 年</p>'), bt.cleaning.normalize_width('ＡＳＥＡＮ'), "
            "isinstance(bt.clean, types.FunctionType))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.split() == ["2015年", "ASEAN", "True"]
    assert bri_text.clean("<p>东盟</p>") == "东盟"
    assert bri_text.clean is bri_text.cleaning.clean


def test_interfaces_page_signatures_are_the_code_s():
    """docs/INTERFACES.md's signature block is generated from the code
    (scripts/make_interfaces.py): a changed signature without the page fails here."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    run = subprocess.run([sys.executable, str(root / "scripts" / "make_interfaces.py"),
                          "--check"], capture_output=True, text=True, cwd=root)
    assert run.returncode == 0, run.stdout + run.stderr


def test_versions_name_the_checkout_commit(tmp_path):
    """An editable install of a clone records the commit it runs (0.5.0.dev0 names many):
    read from .git by hand, a loose ref, a packed one, a detached HEAD and a worktree."""
    from bri_text._util import _source_commit

    sha, other = "a" * 40, "b" * 40
    assert _source_commit(str(tmp_path)) is None                    # no .git: a wheel
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (git / "packed-refs").write_text(f"# pack-refs\n{other} refs/heads/main\n",
                                     encoding="utf-8")
    assert _source_commit(str(tmp_path / "repo")) == other          # packed
    (git / "refs" / "heads" / "main").write_text(sha + "\n", encoding="utf-8")
    assert _source_commit(str(tmp_path / "repo")) == sha            # loose beats packed
    wt = tmp_path / "wt"
    (git / "worktrees" / "wt").mkdir(parents=True)
    (wt).mkdir()
    (wt / ".git").write_text(f"gitdir: {git / 'worktrees' / 'wt'}\n", encoding="utf-8")
    (git / "worktrees" / "wt" / "HEAD").write_text("ref: refs/heads/main\n", encoding="utf-8")
    (git / "worktrees" / "wt" / "commondir").write_text("../..\n", encoding="utf-8")
    assert _source_commit(str(wt)) == sha                            # shared refs
    (git / "worktrees" / "wt" / "HEAD").write_text(other + "\n", encoding="utf-8")
    assert _source_commit(str(wt)) == other                          # detached
    import bri_text as bt
    assert "bri_text_commit" in bt.manifest()["versions"]
