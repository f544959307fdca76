"""A non-editable install works: a wheel built from this checkout, installed in a
fresh virtual environment (dependencies taken from the test environment's site
packages, not downloaded), builds and queries the samples from another folder."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.support.samples import DATA, ROOT

FOLDERS = {"ontology": "bp.ttl", "shapes": "structure.ttl", "queries": "projects.rq",
           "registry": "issuers.csv"}


def run(*cmd, **kw) -> subprocess.CompletedProcess:
    r = subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=300, **kw)
    assert r.returncode == 0, r.stdout + r.stderr
    return r


@pytest.mark.slow
def test_wheel_installs_and_builds_the_samples(tmp_path):
    # built from a copy: a build/ folder left in the checkout must not hide a file
    src = tmp_path / "src"
    src.mkdir()
    for name in ["pyproject.toml", "setup.py", "README.md", "kg", *FOLDERS]:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, src / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                         if (ROOT / name).is_dir() else {}))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", tmp_path / "dist", src)
    (wheel,) = (tmp_path / "dist").glob("kg-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "kg/py.typed" in names  # type checkers use kg's annotations (PEP 561)
    for folder, one in FOLDERS.items():  # every file of each folder, and nothing else's
        shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith(f"kg/_files/{folder}/"))
        assert one in shipped and shipped == sorted(
            p.name for p in (ROOT / folder).iterdir() if p.is_file()), folder

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site = run(python, "-c",
               "import sysconfig; print(sysconfig.get_path('purelib'))").stdout.strip()
    # the dependencies from this environment's site packages; not its own kg (editable)
    Path(site, "deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q", wheel)

    work = tmp_path / "elsewhere"  # not the checkout: nothing found by relative paths
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    kg = venv / "bin" / "kg"
    where = run(python, "-c", "import kg.ontology as o; print(o.QUERIES_DIR)", cwd=work, env=env)
    assert where.stdout.strip() == str(Path(site, "kg", "_files", "queries"))
    built = run(kg, "build", DATA, "--store", work / "store", "-q", cwd=work, env=env)
    assert "4 documents read: 4 loaded" in built.stdout
    q = run(kg, "query", "issuer-portfolio", "--param", "issuer=保财社", "--format", "csv",
            "--store", work / "store", cwd=work, env=env)
    assert "保财社〔2025〕87号" in q.stdout
    v = subprocess.run([str(kg), "validate", "--store", str(work / "store")], capture_output=True,
                       text=True, cwd=work, env=env, timeout=300)
    assert v.returncode in (0, 1) and "4 documents:" in v.stdout, v.stderr
