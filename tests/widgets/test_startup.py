"""Every visitor's kernel pays for what the page imports: heavy libraries stay off that path."""

import json
import subprocess
import sys

HEAVY = ("pandas", "numpy", "zxcvbn", "matplotlib", "yaml", "chinese_calendar")  # the calendar: first used by a working-day date


def test_rendering_the_workbook_imports_no_heavy_library(tmp_path):
    script = (
        "import json, os, sys\n"
        "from widgets.app import WorkbookApp\n"
        "WorkbookApp.from_environment()\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    env = {"WORKBOOK_CASES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert not any(tmp_path.iterdir()), "rendering the start screen must not write anything"
