"""Per visitor, kernel side, without Voilà: a fresh kernel executes the workbook notebook's code,
another the reference notebook's (one ipywidgets Button), interleaved.

Recorded: the cell's wall time measured inside the kernel, the kernel's resident memory
afterwards, whether heavy modules were imported, and (workbook) "start a new complaint".
"""

from __future__ import annotations

import json
import subprocess
import tempfile

import nbformat
from jupyter_client.manager import start_new_kernel

from .common import REFERENCE, ROOT, WORKBOOK, Options, Row, fmt, ratio, summary

TITLE = "Kernel side, no Voilà: notebook code in a fresh kernel"

# After the first screen: the visitor clicks "start a new complaint" and every step is built.
NEW_CASE = """
_start = _t.perf_counter()
_app.start_new_case()
_new_case = _t.perf_counter() - _start
"""

PROBE = """
import json as _j, os as _o, sys as _s
_rss = next(int(l.split()[1]) for l in open(f"/proc/{_o.getpid()}/status") if l.startswith("VmRSS"))
print(_j.dumps({"seconds": _elapsed, "rss_mb": _rss / 1024, "new_case": globals().get("_new_case"),
               "heavy": sorted(m for m in ("pandas", "numpy", "zxcvbn") if m in _s.modules)}))
"""


def notebook_code(path) -> str:
    return "\n".join(
        cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"
    )


def run_in_fresh_kernel(code: str, cases_dir: str, then: str = "") -> dict:
    manager, client = start_new_kernel(
        kernel_name="python3",
        cwd=str(ROOT / "notebooks"),
        stderr=subprocess.DEVNULL,
        env={"WORKBOOK_CASES_DIR": cases_dir, "PATH": "/usr/bin:/bin"},
    )
    try:
        timed = f"import time as _t\n_start = _t.perf_counter()\n{code}\n_elapsed = _t.perf_counter() - _start\n"
        client.execute_interactive(timed, timeout=120, output_hook=lambda msg: None)
        if then:
            client.execute_interactive(then, timeout=120, output_hook=lambda msg: None)
        lines: list[str] = []

        def keep(msg):
            if msg["msg_type"] == "stream":
                lines.append(msg["content"]["text"])

        client.execute_interactive(PROBE, timeout=60, output_hook=keep)
        return json.loads("".join(lines).strip().splitlines()[-1])
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def run(options: Options) -> dict:
    workbook = notebook_code(ROOT / WORKBOOK)
    # The same code, with the app kept in a variable so the next cell can start a case.
    workbook_kept = workbook.replace(
        "WorkbookApp.from_environment()", "_app = WorkbookApp.from_environment()\n_app"
    )
    assert workbook_kept != workbook, "the notebook's code changed: update the benchmark"
    codes = {"workbook": workbook_kept, "reference": notebook_code(ROOT / REFERENCE)}
    samples: dict[str, list[dict]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory(dir=options.work_dir) as cases_dir:
        for _ in range(
            options.runs(7)
        ):  # interleaved, so drift on a shared machine hits both alike
            for name, code in codes.items():
                samples[name].append(
                    run_in_fresh_kernel(code, cases_dir, NEW_CASE if name == "workbook" else "")
                )
    result = {}
    for name, runs in samples.items():
        result[name] = {
            "cell_seconds": summary([r["seconds"] for r in runs]),
            "kernel_rss_mb": summary([r["rss_mb"] for r in runs]),
            "heavy_modules": sorted({m for r in runs for m in r["heavy"]}),
        }
    result["workbook"]["new_case_seconds"] = summary([r["new_case"] for r in samples["workbook"]])
    for metric in ("cell_seconds", "kernel_rss_mb"):
        result[f"{metric}_ratio"] = ratio(result["workbook"][metric], result["reference"][metric])
    return result


def rows(result: dict) -> list[Row]:
    wb, ref = result["workbook"], result["reference"]
    return [
        Row(
            "notebook code executed in a fresh kernel",
            fmt(wb["cell_seconds"], "s"),
            fmt(ref["cell_seconds"], "s"),
            result["cell_seconds_ratio"],
        ),
        Row(
            "kernel resident memory after it",
            fmt(wb["kernel_rss_mb"], "MB", 1),
            fmt(ref["kernel_rss_mb"], "MB", 1),
            result["kernel_rss_mb_ratio"],
        ),
        Row(
            "heavy modules imported (pandas, numpy, zxcvbn)",
            ", ".join(wb["heavy_modules"]) or "none",
            ", ".join(ref["heavy_modules"]) or "none",
        ),
        Row(
            '"start a new complaint": first step built, first save',
            fmt(wb["new_case_seconds"], "s"),
        ),
    ]
