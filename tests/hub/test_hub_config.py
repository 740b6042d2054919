"""deploy/jupyterhub without a hub: the configuration's rules, the single-user server settings and
the Zero-to-JupyterHub values (which cannot be run here: no Kubernetes) keep what README.md promises."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml
from traitlets.config import Config, PyFileConfigLoader

from tests.browser.conftest import ROOT

DEPLOY = ROOT / "deploy" / "jupyterhub"
IMAGE_REPO = Path("/srv/workbook")  # where the single-user image keeps this repository


def load(path: Path) -> Config:
    return PyFileConfigLoader(path.name, str(path.parent)).load_config()


@pytest.fixture
def hub_config(tmp_path, monkeypatch) -> Config:
    monkeypatch.setenv("WORKSHOP_DIR", str(tmp_path / "workshop"))
    monkeypatch.setenv("WORKSHOP_TRAINERS", " Trainer , coach")
    monkeypatch.setenv("WORKSHOP_IDLE_TIMEOUT", "1200")
    return load(DEPLOY / "jupyterhub_config.py")


def spawner(name: str):
    return SimpleNamespace(
        user=SimpleNamespace(name=name), default_url="/voila/render/workbook.ipynb"
    )


def test_each_participant_saves_into_their_own_folder_and_trainers_see_all(hub_config, tmp_path):
    cases_dir = hub_config.Spawner.environment["WORKBOOK_CASES_DIR"]
    cases = tmp_path / "workshop" / "cases"
    assert cases_dir(spawner("alice")) == str(cases / "alice")
    assert cases_dir(spawner("bob")) == str(cases / "bob")
    assert cases_dir(spawner("trainer")) == cases_dir(spawner("coach")) == str(cases)


@pytest.mark.parametrize("name", ["..", ".hidden", "a/b", "../alice", "", "Alice", "a b", "x" * 65])
def test_a_username_that_could_leave_its_folder_is_refused(hub_config, name):
    assert not re.fullmatch(hub_config.Authenticator.username_pattern, name)
    with pytest.raises(ValueError):
        hub_config.Spawner.environment["WORKBOOK_CASES_DIR"](spawner(name))


def test_servers_open_the_workbook_and_trainers_the_dashboard(hub_config, tmp_path):
    assert hub_config.Spawner.default_url == "/voila/render/workbook.ipynb"
    assert hub_config.Spawner.notebook_dir == str(ROOT / "notebooks")
    assert (ROOT / "notebooks" / "workbook.ipynb").exists()
    participant, trainer = spawner("alice"), spawner("trainer")
    hub_config.Spawner.pre_spawn_hook(participant)
    hub_config.Spawner.pre_spawn_hook(trainer)
    assert participant.default_url == "/voila/render/workbook.ipynb"
    assert trainer.default_url == "/voila/render/trainer.ipynb"
    folder = tmp_path / "workshop" / "cases" / "alice"
    assert folder.is_dir() and folder.stat().st_mode & 0o777 == 0o700
    env = hub_config.Spawner.environment
    assert env["JUPYTER_PATH"] == str(ROOT / "share" / "jupyter")
    assert Path(env["JUPYTER_CONFIG_PATH"]) == DEPLOY / "singleuser"


def test_the_idle_culler_runs_with_the_scopes_it_needs(hub_config):
    (service,) = [s for s in hub_config.JupyterHub.services if s["name"] == "idle-culler"]
    assert service["command"][1:] == ["-m", "jupyterhub_idle_culler", "--timeout=1200"]
    (role,) = [r for r in hub_config.JupyterHub.load_roles if r["services"] == ["idle-culler"]]
    assert set(role["scopes"]) == {
        "list:users",
        "read:users:activity",
        "read:servers",
        "delete:servers",
    }


def test_a_single_user_server_is_voila_configured_by_voila_json_and_nothing_else():
    server = load(DEPLOY / "singleuser" / "jupyter_server_config.py")
    voila = json.loads((ROOT / "voila.json").read_text(encoding="utf-8"))
    assert dict(server.VoilaConfiguration) == voila["VoilaConfiguration"]
    assert server.VoilaConfiguration.show_tracebacks is False
    assert server.VoilaConfiguration.file_denylist == [".*"]
    assert dict(server.MappingKernelManager) == voila["MappingKernelManager"]
    assert dict(server.KernelRestarter) == voila["KernelRestarter"]
    assert "KernelManager" not in server  # ipc sockets in a user's runtime folder: paths too long
    assert server.ServerApp.tornado_settings == voila.get("Voila", {}).get("tornado_settings", {})
    assert server.ServerApp.jpserver_extensions["jupyterlab"] is False
    assert server.ServerApp.terminals_enabled is False


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((DEPLOY / "z2jh-values.yaml").read_text(encoding="utf-8"))


def test_z2jh_participants_mount_only_their_own_folder(values):
    single = values["singleuser"]
    assert single["defaultUrl"] == "/voila/render/workbook.ipynb"
    assert single["storage"]["type"] == "none"
    (mount,) = single["storage"]["extraVolumeMounts"]
    assert mount["subPath"] == "cases/{username}"
    assert single["extraEnv"]["WORKBOOK_CASES_DIR"] == mount["mountPath"]
    (volume,) = single["storage"]["extraVolumes"]
    assert volume["name"] == mount["name"]
    (init,) = single["initContainers"]
    assert "chmod 700 /workshop/cases/{username}" in init["command"][-1]


def test_z2jh_paths_in_the_image_are_this_repositorys(values, hub_config):
    env = values["singleuser"]["extraEnv"]
    for key, here in (
        ("JUPYTER_PATH", ROOT / "share" / "jupyter"),
        ("JUPYTER_CONFIG_PATH", DEPLOY / "singleuser"),
    ):
        assert ROOT / Path(env[key]).relative_to(IMAGE_REPO) == here
    notebooks = Path(values["hub"]["config"]["KubeSpawner"]["notebook_dir"])
    assert str(ROOT / notebooks.relative_to(IMAGE_REPO)) == hub_config.Spawner.notebook_dir
    assert (
        values["hub"]["config"]["Authenticator"]["username_pattern"]
        == hub_config.Authenticator.username_pattern
    )


def test_z2jh_culls_idle_servers(values):
    assert values["cull"]["enabled"] is True
    assert values["cull"]["timeout"] == 3600


def test_z2jh_only_trainers_are_offered_the_whole_volume_and_the_dashboard(values, monkeypatch):
    monkeypatch.setenv("WORKSHOP_TRAINERS", values["hub"]["extraEnv"]["WORKSHOP_TRAINERS"])
    c = Config()
    exec(
        values["hub"]["extraConfig"]["workshop-trainers"], {"c": c}
    )  # the hub runs it the same way
    profiles = c.KubeSpawner.profile_list
    assert profiles(spawner("alice")) == []
    trainer, participant = profiles(spawner("trainer"))
    override = trainer["kubespawner_override"]
    assert override["default_url"] == "/voila/render/trainer.ipynb"
    (mount,) = override["volume_mounts"]
    assert (
        mount["subPath"] == "cases"
        and mount["mountPath"] == values["singleuser"]["extraEnv"]["WORKBOOK_CASES_DIR"]
    )
    assert participant.get("default") is True and "kubespawner_override" not in participant
