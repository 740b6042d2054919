"""``make bench``: what one visitor costs, measured against a one-Button reference notebook.

Kernel side (what Voilà pays per visitor before the page shows): a fresh kernel executes the
workbook notebook's code, or the reference's; we record the cell's wall time measured inside
the kernel, the kernel's resident memory afterwards, and whether heavy modules were imported.
Core side: writing/reading a case sheet and an atomic save.

The machine is shared and noisy: every figure is a median with min–max over repeated runs,
and the workbook is reported as a ratio of the reference measured in the same run.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
KERNEL_RUNS = 7
CORE_RUNS = 300

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


def notebook_code(path: Path) -> str:
    return "\n".join(cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code")


def run_in_fresh_kernel(code: str, cases_dir: str, then: str = "") -> dict:
    manager, client = start_new_kernel(
        kernel_name="python3", cwd=str(ROOT / "notebooks"), stderr=subprocess.DEVNULL,
        env={"WORKBOOK_CASES_DIR": cases_dir, "PATH": "/usr/bin:/bin"},
    )  # fmt: skip
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


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values)}


def bench_kernels() -> dict:
    workbook = notebook_code(ROOT / "notebooks" / "workbook.ipynb")
    # The same code, with the app kept in a variable so the next cell can start a case.
    workbook_kept = workbook.replace("WorkbookApp.from_environment()", "_app = WorkbookApp.from_environment()\n_app")
    assert workbook_kept != workbook, "the notebook's code changed: update the benchmark"
    codes = {"workbook": workbook_kept, "reference": notebook_code(ROOT / "bench" / "reference.ipynb")}
    samples: dict[str, list[dict]] = {name: [] for name in codes}
    with tempfile.TemporaryDirectory() as cases_dir:
        for _ in range(KERNEL_RUNS):  # interleaved, so drift on a shared machine hits both alike
            for name, code in codes.items():
                samples[name].append(run_in_fresh_kernel(code, cases_dir, NEW_CASE if name == "workbook" else ""))
    result = {}
    for name, runs in samples.items():
        result[name] = {
            "cell_seconds": summary([r["seconds"] for r in runs]),
            "kernel_rss_mb": summary([r["rss_mb"] for r in runs]),
            "heavy_modules": sorted({m for r in runs for m in r["heavy"]}),
        }
    result["workbook"]["new_case_seconds"] = summary([r["new_case"] for r in samples["workbook"]])
    for metric in ("cell_seconds", "kernel_rss_mb"):
        result[f"{metric}_ratio"] = result["workbook"][metric]["median"] / result["reference"][metric]["median"]
    return result


def bench_core() -> dict:
    from complaint.model import Case
    from complaint.sheet import read_sheet, write_sheet
    from complaint.storage import CaseStore

    case = Case(problem="funds_not_arriving", provider="alipay", event_date=date(2026, 11, 20), amount=Decimal("1280.50"),
                transaction_id="T2026112012345", account_last4="7890", description="转账后对方没有收到。" * 40, goal="refund")  # fmt: skip

    def timed(action, runs=CORE_RUNS) -> dict:
        values = []
        for _ in range(runs):
            start = time.perf_counter()
            action()
            values.append((time.perf_counter() - start) * 1000)
        return summary(values)

    data = write_sheet(case)
    with tempfile.TemporaryDirectory() as directory:
        store = CaseStore(directory)
        return {
            "sheet_bytes": len(data),
            "write_sheet_ms": timed(lambda: write_sheet(case)),
            "read_sheet_ms": timed(lambda: read_sheet(data)),
            "atomic_save_ms": timed(lambda: store.save(case), runs=100),
            "load_ms": timed(lambda: store.load(case.code), runs=100),
        }


def fmt(s: dict, unit: str) -> str:
    return f"{s['median']:.2f} {unit} ({s['min']:.2f}–{s['max']:.2f}, n={s['runs']})"


def main() -> int:
    kernels, core = bench_kernels(), bench_core()
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.json").write_text(json.dumps({"kernels": kernels, "core": core}, indent=2))
    print("Per visitor, fresh kernel (workbook vs one-Button reference):")
    for name in ("workbook", "reference"):
        k = kernels[name]
        print(f"  {name:9} cell {fmt(k['cell_seconds'], 's')}   kernel RSS {fmt(k['kernel_rss_mb'], 'MB')}   heavy modules: {k['heavy_modules'] or 'none'}")
    print(f"  ratio     cell time ×{kernels['cell_seconds_ratio']:.2f}   memory ×{kernels['kernel_rss_mb_ratio']:.2f}")
    print(f"  workbook: start a new case (first step built, first save) {fmt(kernels['workbook']['new_case_seconds'], 's')}")
    print("Case sheet (core):")
    print(f"  size {core['sheet_bytes']} bytes; write {fmt(core['write_sheet_ms'], 'ms')}; read {fmt(core['read_sheet_ms'], 'ms')}")
    print(f"  atomic save with fsync {fmt(core['atomic_save_ms'], 'ms')}; load by code {fmt(core['load_ms'], 'ms')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
