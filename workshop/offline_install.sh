#!/usr/bin/env bash
# Prove that gdteach installs in a room without network: build a wheelhouse while online,
# then install from it into a fresh virtual environment with the network switched off
# (a new network namespace: `unshare -n`, which needs root; elsewhere use `--no-index`
# alone, which never contacts an index) and open a notebook's imports there.
#
#   bash workshop/offline_install.sh [WHEELHOUSE_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
wheelhouse=${1:-wheelhouse}
venv=$(mktemp -d)/venv

echo "1/3 online: collecting wheels for gdteach and its dependencies into $wheelhouse/"
python3 -m pip wheel --quiet --wheel-dir "$wheelhouse" ".[lab]"

echo "2/3 offline: installing into a fresh virtual environment from $wheelhouse/ only"
python3 -m venv "$venv"
offline=()
if [ "$(id -u)" = 0 ] && unshare -n true 2>/dev/null; then
  offline=(unshare -n)   # no network interface at all, not even DNS
fi
"${offline[@]}" "$venv/bin/python" -m pip install --quiet --no-index --find-links "$wheelhouse" "gdteach[lab]"

echo "3/3 offline: importing what the notebooks use"
"${offline[@]}" "$venv/bin/python" - <<'PY'
import gdteach, gdteach.plot, gdteach.widgets, ipywidgets, jupyterlab, matplotlib, numpy
traj = gdteach.run(gdteach.objectives.square, 5.0, gdteach.optim.SGD(lr=0.1), 15)
assert round(float(traj.final_x), 3) == 0.176, traj
print(f"offline install OK: gdteach {gdteach.__version__}, jupyterlab {jupyterlab.__version__}")
PY
rm -rf "$(dirname "$venv")"
