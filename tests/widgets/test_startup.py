"""Every visitor's kernel pays for what the page imports: heavy libraries stay off that path."""

import json
import subprocess
import sys

HEAVY = (
    "pandas",
    "numpy",
    "zxcvbn",
    "matplotlib",
    "yaml",
    "openpyxl",
    "chinese_calendar",
)  # the calendar: first used by a working-day date


def printed_by(script: str, tmp_path):
    """What ``script``, run in a fresh Python (as a new kernel starts), prints last, as JSON."""
    env = {"WORKBOOK_CASES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_rendering_the_workbook_imports_no_heavy_library(tmp_path):
    script = (
        "import json, os, sys\n"
        "from widgets.app import WorkbookApp\n"
        "WorkbookApp.from_environment()\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    env = {"WORKBOOK_CASES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert not any(tmp_path.iterdir()), "rendering the start screen must not write anything"


def test_openpyxl_is_imported_only_when_the_xlsx_is_asked_for(tmp_path):
    script = (
        "import json, sys\n"
        "from widgets.app import WorkbookApp\n"
        "app = WorkbookApp(language='en', call_later=lambda _delay, callback: callback())\n"
        "app.start.new_button.click()\n"
        "app.stepper.buttons['facts'].click()\n"
        "app.views['facts'].transaction_id.value = '0079'\n"
        "before = 'openpyxl' in sys.modules\n"
        "app.savebar.xlsx_button.click()\n"
        "print(json.dumps([before, 'openpyxl' in sys.modules, 'download=' in app.savebar.xlsx.value]))\n"
    )
    assert printed_by(script, tmp_path) == [False, True, True]


def test_the_trainer_dashboard_loads_pandas_and_openpyxl_only_for_the_excel_export(tmp_path):
    script = (
        "import json, sys\n"
        "from complaint.storage import CaseStore\n"
        "from widgets.trainer import TrainerDashboard\n"
        "store = CaseStore(sys.argv[1])\n"
        "store.save(store.new_case('en'))\n"
        "import threading\n"
        "def wait():  # the job may end (and board.job become None) before this line runs\n"
        "    [thread.join() for thread in threading.enumerate() if thread.name == 'trainer-job']\n"
        "board = TrainerDashboard(sys.argv[1], language='en', index_file=None, post=lambda callback: callback())\n"
        "wait()\n"
        "before = sorted(m for m in ('pandas', 'openpyxl', 'matplotlib') if m in sys.modules)\n"
        "board.export_buttons[3].click()\n"
        "wait()\n"
        "print(json.dumps([before, 'pandas' in sys.modules and 'openpyxl' in sys.modules, '.xlsx' in board.export_result.value]))\n"
    )
    env = {"WORKBOOK_CASES_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "cases")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [[], True, True]


def test_the_start_screen_is_at_most_twenty_widget_models(tmp_path):
    """Each model costs the kernel, Voilà and the browser about a millisecond, for every visitor
    (docs/performance.md): counted in a fresh process, as a new kernel builds it."""
    script = (
        "import json\n"
        "import ipywidgets as w\n"
        "opened = []\n"
        "original = w.Widget.open\n"
        "def counting_open(self):\n"
        "    if self.comm is None:\n"
        "        opened.append(type(self).__name__)\n"
        "    original(self)\n"
        "w.Widget.open = counting_open\n"
        "from widgets.app import WorkbookApp\n"
        "zh = len(opened)\n"
        "app = WorkbookApp(language='zh')\n"
        "zh = len(opened) - zh\n"
        "app.start.practice_opener.click()\n"
        "print(json.dumps([zh, len(opened), sorted(set(opened))]))\n"
    )
    start_screen, after_opening, classes = printed_by(script, tmp_path)
    assert 10 < start_screen <= 20, classes
    assert after_opening > start_screen  # the practice form is built when opened
