# A participant's single-user server on the hub: Voilà and nothing else, configured from the
# repository's voila.json so `make serve` and the hub serve the workbook the same way.
# jupyterhub_config.py points JUPYTER_CONFIG_PATH at this folder.

import json
from pathlib import Path

_voila = json.loads(
    (Path(__file__).resolve().parents[3] / "voila.json").read_text(encoding="utf-8")
)

# Template, no tracebacks shown, no files served (as for `voila notebooks/workbook.ipynb`).
c.VoilaConfiguration.update(_voila.get("VoilaConfiguration", {}))
# Idle kernels are culled by the server; idle servers by the hub's idle-culler service.
c.MappingKernelManager.update(_voila.get("MappingKernelManager", {}))
# A killed kernel is noticed within a second, so the page can say its changes are not saved.
c.KernelRestarter.update(_voila.get("KernelRestarter", {}))
# voila.json's KernelManager.transport=ipc is not applied here: it is for one Voilà starting many
# kernels at once (docs/workshop.md), while a participant's server starts one or two; and the
# socket would live in the user's runtime folder, whose path can exceed a Unix socket's 107 bytes.
# Standalone Voilà's tornado settings (e.g. the websocket message size evidence uploads need) are
# the server's here, since Voilà runs as an extension of it.
c.ServerApp.tornado_settings = dict(_voila.get("Voila", {}).get("tornado_settings", {}))

# Participants need only Voilà: no JupyterLab, no language server, no terminals.
c.ServerApp.jpserver_extensions = {
    "jupyterlab": False,
    "jupyter_lsp": False,
    "jupyter_server_terminals": False,
}
c.ServerApp.terminals_enabled = False
