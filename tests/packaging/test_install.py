"""`pip install .` gives a working package: content, stylesheet and Voilà template come along.

The wheel is built from a copy of the source tree (pip builds in place, which would litter the
work tree), installed with --no-deps into a fresh virtual environment that borrows this one's
dependencies through a .pth file, and used from a folder outside the repository: with no
JUPYTER_PATH and no source checkout to fall back on, anything the wheel lacks shows up here.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from complaint.i18n import Translator
from lite.build import SOURCE_IGNORED
from tests.browser.conftest import free_port

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def isolated_env(**extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("JUPYTER_PATH", "PYTHONPATH", "QUERY_STRING", "WORKBOOK_CASES_DIR")
    }
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source") / "workbook"
    shutil.copytree(ROOT, source, ignore=SOURCE_IGNORED)
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), str(source)],
        check=True,
        env=isolated_env(),
    )
    (built,) = out.glob("wallet_complaint_workbook-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed; returns its python."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    # This venv's packages (voila, ipywidgets...) but not its editable install of the workbook,
    # whose .pth is not read from a folder that is itself added by a .pth.
    (purelib / "borrowed.pth").write_text("\n".join(site.getsitepackages()) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            str(wheel),
        ],
        check=True,
        env=isolated_env(),
    )
    return python


def test_wheel_holds_the_content_stylesheet_and_template_but_no_cases(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for source in sorted((ROOT / "data").glob("*/*.json")):
        if source.parent.name != "cases":
            assert f"workbook_data/{source.parent.name}/{source.name}" in names
    assert "widgets/workbook.css" in names
    template = [name for name in names if "/share/jupyter/voila/templates/workbook/" in name]
    assert sorted(Path(name).name for name in template) == sorted(
        path.name for path in (ROOT / "share/jupyter/voila/templates/workbook").iterdir()
    )
    assert not [name for name in names if "cases" in name.split("/")]


def test_installed_package_reads_its_own_content_outside_the_repo(installed, tmp_path):
    probe = (
        "import complaint.paths as p, widgets.common as c\n"
        "from complaint.i18n import Translator\n"
        "from complaint.escalation import jurisdictions\n"
        "print(p.DATA_DIR); print(p.cases_dir()); print(Translator('zh')('app.title')); print(sorted(jurisdictions()))\n"
        "print(len(c._STYLESHEET) > 0)\n"
    )
    result = subprocess.run(
        [str(installed), "-c", probe],
        cwd=tmp_path,
        env=isolated_env(HOME=str(tmp_path), XDG_DATA_HOME=""),
        check=True,
        capture_output=True,
        text=True,
    )
    data_dir, cases, title, packs, css = result.stdout.splitlines()
    assert Path(data_dir).name == "workbook_data" and not Path(data_dir).is_relative_to(ROOT)
    assert Path(cases) == tmp_path / ".local" / "share" / "wallet-complaint-workbook" / "cases"
    assert title == Translator("zh")("app.title")
    assert packs == "['cn', 'us']" and css == "True"


def test_voila_renders_the_workbook_with_the_template_from_the_install_prefix(installed, tmp_path):
    site_dir = tmp_path / "site"
    (site_dir / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / "notebooks" / "workbook.ipynb", site_dir / "notebooks")
    shutil.copy(ROOT / "voila.json", site_dir)
    # The borrowed dependencies' own templates (Voilà's lab, nbconvert's), which a normal install
    # puts into the same prefix; the workbook template is left out: it must come from the wheel.
    deps_share = tmp_path / "deps-share"
    (deps_share / "voila" / "templates").mkdir(parents=True)
    (deps_share / "nbconvert").symlink_to(Path(sys.prefix) / "share" / "jupyter" / "nbconvert")
    for template in (Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates").iterdir():
        if template.name != "workbook":
            (deps_share / "voila" / "templates" / template.name).symlink_to(template)
    port = free_port()
    env = isolated_env(WORKBOOK_CASES_DIR=str(tmp_path / "cases"), JUPYTER_PATH=str(deps_share))
    log_path = tmp_path / "voila.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [
                str(installed),
                "-m",
                "voila",
                "notebooks/workbook.ipynb",
                "--no-browser",
                f"--port={port}",
                "--Voila.ip=127.0.0.1",
                "--KernelManager.transport=tcp",
            ],
            cwd=site_dir,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        page = ""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=60) as response:
                    page = response.read().decode("utf-8")
                break
            except OSError:
                time.sleep(0.5)
    finally:
        process.terminate()
        process.wait(timeout=15)
    log_text = log_path.read_text(errors="replace")
    assert "正在打开数字钱包投诉助手" in page, log_text[
        -3000:
    ]  # our template's bilingual loading screen
    assert "application/vnd.jupyter.widget-view+json" in page, log_text[-3000:]  # the notebook ran
    assert "Traceback" not in log_text, log_text[-3000:]
