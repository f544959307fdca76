"""The documentation tells the truth: the generated references match the code and the
benchmarks, every link between the pages resolves, and every example runs — each
`kg` line of a shell block (serve: started and asked), each Python block, the curl
session of the writable endpoint, and the example runs against a SPARQL server."""
from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from kg import reference
from tests.servers import kg_serve
from tests.support.samples import DATA, ROOT

PAGES = [ROOT / "README.md", ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]
BIN = Path(sys.executable).parent


def blocks(lang: str) -> list[tuple[Path, str]]:
    return [(p, m.group(1)) for p in PAGES
            for m in re.finditer(rf"```{lang}\n(.*?)```", p.read_text(encoding="utf-8"), re.S)]


def commands(body: str) -> list[str]:
    """The lines of a shell block, continuation lines joined, comments dropped."""
    body = re.sub(r"\\\n\s*", " ", body)
    return [re.sub(r"\s+#\s.*$", "", line).strip() for line in body.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def test_generated_references_match_the_code():
    for name, make in reference.GENERATED.items():
        assert (ROOT / "docs" / name).read_text(encoding="utf-8") == make(), \
            f"docs/{name} is stale: run python -m kg.reference"


def test_performance_page_is_built_from_the_benchmarks():
    sys.path.insert(0, str(ROOT))
    from benchmarks.report import OUT, render
    assert OUT.read_text(encoding="utf-8") == render(), "run python benchmarks/report.py"


def test_links_between_pages_resolve():
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#]+?)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not target.startswith(("http://", "https://")):
                assert (page.parent / target).exists(), (page.name, target)


def test_readme_is_short():
    assert len((ROOT / "README.md").read_text(encoding="utf-8").splitlines()) <= 100


@pytest.fixture
def workdir(tmp_path):
    """A copy of the samples to run the examples in, with kg on the PATH."""
    shutil.copytree(DATA, tmp_path / "data")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    return tmp_path, env


def run(line: str, cwd: Path, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(line, shell=True, cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


#: exit codes an example may end with: 1 is a finding (validation, an unknown directive)
FINDINGS_OK = ("kg validate", "kg lineage")


@pytest.mark.slow
def test_every_kg_example_runs(workdir):
    cwd, env = workdir
    lines = [(p, c) for p, body in blocks("sh") for c in commands(body)
             if c.startswith("kg ") and "http://" not in c]
    assert any(c.startswith("kg build") for _, c in lines)
    for page, line in sorted(lines, key=lambda pc: not pc[1].startswith("kg build")):
        if line.startswith("kg serve"):
            with kg_serve(str(cwd / "store")) as (base, _):
                assert httpx.get(base + "/search",
                                 params={"q": "保财社〔2025〕87号"}).status_code == 200
            continue
        r = run(line, cwd, env)
        ok = (0, 1) if line.startswith(FINDINGS_OK) else (0,)
        assert r.returncode in ok, f"{page.name}: {line}\n{r.stderr}"
        assert "Traceback" not in r.stderr


def test_every_python_example_runs(workdir):
    cwd, env = workdir
    found = blocks("python")
    assert found
    for page, body in found:
        r = subprocess.run([sys.executable, "-c", body], cwd=cwd, env=env, capture_output=True,
                           text=True, timeout=600)
        assert r.returncode == 0, f"{page.name}:\n{body}\n{r.stderr}"


@pytest.mark.slow
def test_inline_query_examples_run(workdir):
    cwd, env = workdir
    assert run("kg build data/ -q", cwd, env).returncode == 0
    inline = {m for p in PAGES if p.name not in reference.GENERATED
              for m in re.findall(r"`(kg (?:query|lineage) [^`]*)`", p.read_text(encoding="utf-8"))}
    runnable = [c for c in inline if not re.search(r"\b[A-Z]{3,}\b|…", c)
                and not shlex.split(c)[2].startswith("-")]  # a whole command, not an option
    assert runnable
    for line in runnable:
        r = run(line, cwd, env)
        assert r.returncode in (0, 1) and r.stdout, f"{line}\n{r.stderr}"


@pytest.mark.slow
def test_writable_endpoint_session_runs(workdir):
    cwd, env = workdir
    (page, body), = [(p, b) for p, b in blocks("sh") if "curl -X PUT" in b]
    assert run("kg build data/ -q", cwd, env).returncode == 0
    (cwd / "extra.ttl").write_text("<http://example.org/a> a <http://example.org/C> .\n")
    (cwd / "more.ttl").write_text("<http://example.org/b> a <http://example.org/C> .\n")
    with kg_serve(str(cwd / "store"), token="s3cret") as (base, _):
        for line in commands(body):
            if not line.startswith("curl"):
                continue
            line = line.replace("http://127.0.0.1:8000", base)
            line = line.replace("curl ", "curl -sS --fail ", 1)
            r = run(line, cwd, env)
            assert r.returncode == 0, f"{page.name}: {line}\n{r.stderr}"


@pytest.mark.slow
def test_server_store_example_runs(workdir):
    from tests.servers import ServerUnavailable, oxigraph_server
    cwd, env = workdir
    (page, body), = [(p, b) for p, b in blocks("sh") if "oxigraph serve" in b]
    try:
        server = oxigraph_server(cwd / "oxi")
        url = server.__enter__()
    except ServerUnavailable as e:
        pytest.skip(str(e))
    try:
        for line in commands(body):
            if line.startswith("kg build"):
                line = line.replace("http://127.0.0.1:7878/query", url)
                r = run(line, cwd, env)
                assert r.returncode == 0, f"{page.name}: {line}\n{r.stderr}"
            elif line.startswith("kg serve"):
                store = shlex.split(line)[shlex.split(line).index("--store") + 1]
                with kg_serve(store.replace("http://127.0.0.1:7878/query", url)) as (base, _):
                    assert httpx.get(base + "/").status_code == 200
    finally:
        server.__exit__(None, None, None)
