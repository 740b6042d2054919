"""Build the in-browser edition (``make lite``): a static site in dist/lite/.

Pinned inputs only, nothing fetched at run time:
- the Pyodide runtime from npm (lite/package-lock.json), into .lite-cache/npm;
- the Python wheels the browser runs (lite/requirements-browser.txt, pure Python, with hashes)
  from PyPI, into .lite-cache/wheels;
- this project's own wheel, built from the work tree;
- the JupyterLite/Voici build tools (requirements/lite.txt, pinned in constraints.txt).

Pyodide's npm package holds the runtime only; its pyodide-lock.json names ~200 packages built
for Pyodide that are not in it. The lock the site ships is rewritten to list exactly the wheels
the site holds (their real SHA-256), so nothing can ask for a file that is not there.
"""

from __future__ import annotations

import argparse
import contextlib
import email.parser
import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
LITE = ROOT / "lite"
CACHE = ROOT / ".lite-cache"
DIST = ROOT / "dist" / "lite"
PYODIDE_DIR = "static/pyodide"  # inside the site
#: What Pyodide 0.27's Python reports for environment markers (Requires-Dist ... ; marker).
BROWSER_MARKERS = {
    "python_version": "3.12",
    "python_full_version": "3.12.7",
    "sys_platform": "emscripten",
    "platform_system": "Emscripten",
    "platform_machine": "wasm32",
    "implementation_name": "cpython",
    "platform_python_implementation": "CPython",
    "os_name": "posix",
    "extra": "",
}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def run(*command: str, **kwargs) -> None:
    subprocess.run(list(command), check=True, **kwargs)


def build_tools() -> Path:
    """The JupyterLite/Voici build in a venv of its own (requirements/lite.txt, pinned by
    constraints.txt): its JupyterLab extension must not land in the environment Voilà serves."""
    inputs = (ROOT / "requirements" / "lite.txt").read_bytes() + (
        ROOT / "requirements" / "constraints.txt"
    ).read_bytes()
    venv = CACHE / "tools" / hashlib.sha256(inputs).hexdigest()[:16]
    python = venv / "bin" / "python"
    if not (venv / ".installed").exists():
        shutil.rmtree(venv, ignore_errors=True)
        run(sys.executable, "-m", "venv", str(venv))
        run(
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "-c",
            str(ROOT / "requirements" / "constraints.txt"),
            "-r",
            str(ROOT / "requirements" / "lite.txt"),
        )
        (venv / ".installed").touch()
    return python


def pyodide_runtime() -> Path:
    """The npm package ``pyodide`` at the version the lock file pins (cached by the lock's hash)."""
    lock = LITE / "package-lock.json"
    target = CACHE / "npm" / hashlib.sha256(lock.read_bytes()).hexdigest()[:16]
    if not (target / ".installed").exists():
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        shutil.copy(LITE / "package.json", target)
        shutil.copy(lock, target)
        run("npm", "ci", "--prefix", str(target), "--no-audit", "--no-fund", "--loglevel=error")
        (target / ".installed").touch()
    return target / "node_modules" / "pyodide"


def browser_wheels() -> list[Path]:
    """The pinned PyPI wheels (pip checks every hash), cached by the requirements file's hash."""
    requirements = LITE / "requirements-browser.txt"
    target = CACHE / "wheels" / hashlib.sha256(requirements.read_bytes()).hexdigest()[:16]
    if not (target / ".downloaded").exists():
        shutil.rmtree(target, ignore_errors=True)
        run(
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "--require-hashes",
            "--only-binary=:all:",
            "--platform",
            "any",
            "--python-version",
            "3.12",
            "--implementation",
            "py",
            "-r",
            str(requirements),
            "-d",
            str(target),
        )
        (target / ".downloaded").touch()
    return sorted(target.glob("*.whl"))


#: What a copy of the work tree made to build this project's wheel leaves out: environments,
#: caches, build output and participants' cases (tests/packaging builds its wheel the same way).
SOURCE_IGNORED = shutil.ignore_patterns(
    ".venv",
    ".git",
    ".node",
    ".lite-cache",
    "artifacts",
    "dist",
    "build",
    "cases",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
)


def project_wheel(out: Path) -> Path:
    """This project's wheel, from a copy of the work tree (pip builds in place)."""
    source = out / "source"
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(ROOT, source, ignore=SOURCE_IGNORED)
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source))
    shutil.rmtree(source)
    (wheel,) = out.glob("wallet_complaint_workbook-*.whl")
    return wheel


def byte_compiled(runtime: Path, archives: list[Path]) -> list[Path]:
    """Each archive (wheel or the standard library's zip) with .pyc in place of its .py, compiled
    by the Pyodide runtime itself (lite/compile_pyc.mjs), cached by the archive's and the
    compiler's hashes: the browser then imports without compiling (it keeps nothing between visits)."""
    compiler = LITE / "compile_pyc.mjs"
    salt = (
        compiler.read_bytes()
        + (runtime / "pyodide.asm.wasm").read_bytes()[:4096]
        + (runtime / "package.json").read_bytes()
    )
    results, todo = [], {}
    for archive in archives:
        target = (
            CACHE
            / "pyc"
            / hashlib.sha256(salt + archive.read_bytes()).hexdigest()[:16]
            / archive.name
        )
        results.append(target)
        if not target.exists():
            todo.setdefault(archive.parent, []).append((archive, target))
    for folder, pairs in todo.items():
        out = CACHE / "pyc" / "work"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        run(
            "node",
            str(compiler),
            str(runtime),
            str(folder),
            str(out),
            *[archive.name for archive, _target in pairs],
        )
        for archive, target in pairs:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(out / archive.name, target)
    return results


def stub_wheel(out: Path, name: str, reason: str) -> Path:
    """A wheel with metadata only, for a module the kernel asks for by name but the workbook
    does not use and Pyodide's npm package does not ship (ssl, sqlite3: built by Pyodide, not
    on PyPI). Importing the module fails as it would without the package; IPython copes."""
    path = out / f"{name}-0.0.0-py3-none-any.whl"
    info = f"{name}-0.0.0.dist-info"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            f"{info}/METADATA",
            f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.0.0\nSummary: {reason}\n",
        )
        archive.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: lite/build.py\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        archive.writestr(f"{info}/RECORD", "")
    return path


def wheel_entry(path: Path) -> dict:
    """A pyodide-lock.json package entry for a pure-Python wheel, from its own metadata."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        (metadata_name,) = [
            n for n in names if n.endswith(".dist-info/METADATA") and n.count("/") == 1
        ]
        metadata = email.parser.Parser().parsestr(archive.read(metadata_name).decode("utf-8"))
    depends = []
    for line in metadata.get_all("Requires-Dist") or []:
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(BROWSER_MARKERS):
            depends.append(normalise(requirement.name))
    imports = sorted(
        {n.split("/")[0].removesuffix(".py") for n in names if "/" in n or n.endswith(".py")}
        - {metadata_name.split("/")[0]}
    )
    imports = [
        name
        for name in imports
        if not name.endswith((".dist-info", ".data")) and name.isidentifier()
    ]
    return {
        "name": normalise(metadata["Name"]),
        "version": metadata["Version"],
        "file_name": path.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": imports,
        "depends": sorted(set(depends)),
        "unvendored_tests": False,
        "shared_library": False,
    }


def write_runtime(site: Path, runtime: Path, stdlib: Path, wheels: list[Path]) -> list[str]:
    """Pyodide's runtime files and our wheels into the site, with a lock listing only those."""
    target = site / PYODIDE_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name in ("pyodide.js", "pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm"):
        shutil.copy(runtime / name, target / name)
    shutil.copy(stdlib, target / "python_stdlib.zip")
    lock = json.loads((runtime / "pyodide-lock.json").read_text(encoding="utf-8"))
    packages = {}
    for wheel in wheels:
        shutil.copy(wheel, target / wheel.name)
        entry = wheel_entry(wheel)
        packages[entry["name"]] = entry
    missing = {dep for entry in packages.values() for dep in entry["depends"]} - set(packages)
    if missing:
        raise SystemExit(f"lite: the browser wheels lack dependencies: {sorted(missing)}")
    lock["packages"] = packages
    (target / "pyodide-lock.json").write_text(
        json.dumps(lock, indent=1, sort_keys=True), encoding="utf-8"
    )
    return sorted(packages)


ENTRY_PAGE = """<!DOCTYPE html>
<html lang="zh-Hans">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>数字钱包投诉助手 · Digital-wallet complaint workbook</title>
<script>window.location.replace("{target}" + window.location.search + window.location.hash);</script>
<p><a href="{target}">数字钱包投诉助手 · Digital-wallet complaint workbook</a></p>
</html>
"""


def write_entry_pages(site: Path) -> None:
    """The site's address and voici/ open the workbook itself (with the query), by relative
    links, instead of JupyterLite's start page and Voici's file list."""
    (site / "index.html").write_text(
        ENTRY_PAGE.format(target="voici/render/workbook.html"), encoding="utf-8"
    )
    (site / "voici" / "index.html").write_text(
        ENTRY_PAGE.format(target="render/workbook.html"), encoding="utf-8"
    )


def relative_to_page(page: Path) -> None:
    """The kernel resolves its package index URLs against the page's address, which Voici puts
    two folders down (voici/render/): point them from there to the site's root."""
    html = page.read_text(encoding="utf-8")
    fixed = html.replace(
        '"./extensions/@jupyterlite/pyodide-kernel-extension/',
        '"../../extensions/@jupyterlite/pyodide-kernel-extension/',
    )
    if fixed == html:
        raise SystemExit(f"lite: no package index URL to fix in {page}")
    page.write_text(fixed, encoding="utf-8")


#: Everything the site is built from: a change to any of it means a new build.
INPUT_DIRS = (
    "lite",
    "complaint",
    "widgets",
    "data/content",
    "data/i18n",
    "data/jurisdictions",
    "share",
)
INPUT_FILES = ("pyproject.toml", "requirements/lite.txt", "requirements/constraints.txt")


def inputs_digest() -> str:
    digest = hashlib.sha256()
    files = [ROOT / name for name in INPUT_FILES]
    for folder in INPUT_DIRS:
        files += sorted(
            p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        )
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def ensure_built(site: Path = DIST) -> Path:
    """The site, built only when its inputs changed since the last build (for tests and bench)."""
    stamp = site / ".inputs"
    wanted = inputs_digest()
    if not (stamp.exists() and stamp.read_text() == wanted):
        run(sys.executable, str(LITE / "build.py"), "--output", str(site), cwd=ROOT)
        stamp.write_text(wanted)
    return site


@contextlib.contextmanager
def static_server(site: Path = DIST) -> Iterator[str]:
    """The site on a plain static server on loopback, as any static host would serve it; yields its URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=DIST)
    args = parser.parse_args()
    work = CACHE / "work"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    runtime = pyodide_runtime()
    # ipywidgets requires widgetsnbextension, the classic notebook's front end: the kernel ships
    # an empty stand-in for it, which the site uses too (Voici has the widget front end built in).
    tools = build_tools()
    kernel_pypi = (
        tools.parent.parent
        / "share"
        / "jupyter"
        / "labextensions"
        / "@jupyterlite"
        / "pyodide-kernel-extension"
        / "static"
        / "pypi"
    )
    # The kernel's own wheels (piplite, ipykernel's stand-in, pyodide_kernel) are listed in the
    # lock and loaded with the rest (jupyter-lite.json), instead of micropip resolving and
    # installing them from the kernel's package index on every visit.
    kernel_wheels = [
        next(kernel_pypi.glob(pattern))
        for pattern in (
            "piplite-*.whl",
            "ipykernel-*.whl",
            "pyodide_kernel-*.whl",
            "widgetsnbextension-4.*.whl",
        )
    ]
    wheels = browser_wheels() + [project_wheel(work), *kernel_wheels]
    wheels += [
        stub_wheel(
            work, name, "not shipped in the in-browser edition: the workbook does not use it"
        )
        for name in ("ssl", "sqlite3")
    ]
    wheels.append(
        stub_wheel(
            work,
            "jedi",
            "not shipped in the in-browser edition: code completion, for code cells the app does not have",
        )
    )
    stdlib, *wheels = byte_compiled(runtime, [runtime / "python_stdlib.zip", *wheels])
    site = args.output
    shutil.rmtree(site, ignore_errors=True)
    lite_dir = work / "lite-dir"
    shutil.copytree(LITE / "site", lite_dir)
    env = dict(
        os.environ,
        JUPYTER_PATH=os.pathsep.join(
            [str(LITE / "templates-path"), str(ROOT / "share" / "jupyter")]
        ),
    )
    # Of the JupyterLab extensions in this environment only the Pyodide kernel: Voici has the
    # widget manager built in, and Voilà's JupyterLab preview has no place in a static site.
    kernel_extension = kernel_pypi.parent.parent
    run(
        str(tools),
        "-m",
        "jupyterlite_core",
        "build",
        "--lite-dir",
        str(lite_dir),
        "--output-dir",
        str(site),
        "--apps",
        "voici",
        "--contents",
        str(LITE / "content"),
        "--no-sourcemaps",
        f"--LiteBuildConfig.federated_extensions={kernel_extension}",
        cwd=lite_dir,
        env=env,
    )
    relative_to_page(site / "voici" / "render" / "workbook.html")
    write_entry_pages(site)
    names = write_runtime(site, runtime, stdlib, wheels)
    print(f"lite: built {site} with {len(names)} packages")


if __name__ == "__main__":
    main()
