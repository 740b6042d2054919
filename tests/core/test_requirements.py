"""environment.yml (conda) installs what requirements/*.txt install, at constraints.txt's versions."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements" / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[normalised(name)] = version
    return pins


def required(name: str) -> set[str]:
    """The package names a requirements file lists (and the files it includes)."""
    names = set()
    for line in (ROOT / "requirements" / name).read_text().splitlines():
        line = line.split("#")[0].strip()
        if line.startswith("-r "):
            names |= required(line[3:].strip())
        elif line:
            names.add(normalised(re.split(r"[=<>!~ \[]", line)[0]))
    return names


def environment_pins() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    pins = {}
    for line in pip:
        if "==" in line:
            name, version = line.split("==")
            pins[normalised(name)] = version.strip()
    return pins


def test_environment_yml_installs_everything_make_test_installs():
    assert required("test.txt") - set(environment_pins()) == set()


def test_environment_yml_pins_the_versions_of_constraints_txt():
    pins, pinned = environment_pins(), constraints()
    assert {name: version for name, version in pins.items() if pinned.get(name) != version} == {}


def test_environment_yml_constrains_what_its_packages_pull_in_and_installs_the_workbook():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(item["pip"] for item in environment["dependencies"] if isinstance(item, dict))
    assert "-c requirements/constraints.txt" in pip and any(line.startswith("-e .") for line in pip)
    assert "python=3.11" in environment["dependencies"]
    assert (
        ".venv/bin" not in (ROOT / "environment.yml").read_text()
    )  # its instructions work in the conda environment
