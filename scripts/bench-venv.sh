#!/usr/bin/env bash
# The Python virtual environment for scripts/bench_external.py, which sets Proxima beside
# Stable-Baselines3. Everything comes from the machine's local wheel mirror; nothing is fetched
# from PyPI, and Stable-Baselines3 is never downloaded:
#
#   SB3_SOURCE=/path/to/stable-baselines3 scripts/bench-venv.sh
#   .bench/venv/bin/python scripts/bench_external.py --url http://localhost:8080
#
# Installs (into ${PROXIMA_BENCH_VENV:-.bench/venv}, created if missing):
#   - torch, CPU build: ${PROXIMA_BENCH_TORCH_WHEEL}, or the newest torch-*+cpu wheel for this
#     Python in /opt/wheels (the mirror's plain "torch" is the CUDA build, so it is not used);
#     left alone if the venv already has a CPU torch;
#   - gymnasium[mujoco], numpy, requests, cloudpickle, and this repository's clients/python
#     (reinstalled on every run, so re-run after changing the client);
#   - Stable-Baselines3 from the source directory $SB3_SOURCE (pip install --no-deps; its
#     runtime dependencies gymnasium, numpy, torch and cloudpickle come from the steps above),
#     or, without SB3_SOURCE, the stable_baselines3 the venv already has.
#     BENCH_SB3_EXTRAS=1 adds pandas and matplotlib (SB3 needs them only for its plotting and
#     monitor-file helpers, which the benchmark does not use).
# Then prints what the venv holds. Exits 1 if it ends without stable_baselines3 (the rest is
# installed: bench_external.py --skip-sb3 still works).
#
# Environment: PROXIMA_BENCH_VENV (venv path, relative to the repository root unless absolute),
# PYTHON (the interpreter to create it with; default python3), SB3_SOURCE, BENCH_SB3_EXTRAS,
# PROXIMA_BENCH_TORCH_WHEEL.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${PROXIMA_BENCH_VENV:-.bench/venv}"
python="${PYTHON:-python3}"
# The local mirror only. --index-url replaces PyPI; these options also reach the isolated build
# environments pip makes for source installs (clients/python, SB3).
mirror=(--index-url file:///opt/pypi/simple --extra-index-url file:///opt/pypi-more/simple --find-links /opt/wheels)
pip_opts=(--disable-pip-version-check --no-input "${mirror[@]}")

if [ ! -x "$venv/bin/python" ]; then
    echo "== creating $venv with $("$python" --version 2>&1) ($python)"
    mkdir -p "$(dirname "$venv")"
    "$python" -m venv "$venv"
else
    echo "== using $venv ($("$venv/bin/python" --version 2>&1))"
fi
vpy="$venv/bin/python"
pip=("$vpy" -m pip)
# /opt/pypi-more holds only some projects; pip warns once per missing one. Drop that noise.
pip_install() {
    "${pip[@]}" install -q "${pip_opts[@]}" "$@" 2>&1 | sed '/is ignored: it is neither a file nor a directory/d'
}

# -- torch, CPU ----------------------------------------------------------------------------
if "$vpy" -c 'import sys, torch; sys.exit(0 if (torch.version.cuda is None) else 1)' 2>/dev/null; then
    echo "== torch $("$vpy" -c 'import torch; print(torch.__version__)') already installed (CPU)"
else
    wheel="${PROXIMA_BENCH_TORCH_WHEEL:-}"
    if [ -z "$wheel" ]; then
        tag="cp$("$vpy" -c 'import sys; print(f"{sys.version_info[0]}{sys.version_info[1]}")')"
        wheel="$(ls /opt/wheels/torch-*+cpu-"$tag"-"$tag"-*x86_64*.whl 2>/dev/null | sort -V | tail -n 1 || true)"
    fi
    if [ -z "$wheel" ] || [ ! -f "$wheel" ]; then
        echo "no CPU torch wheel for this Python in /opt/wheels (torch-*+cpu-${tag:-cpXY}-*.whl);" \
             "set PROXIMA_BENCH_TORCH_WHEEL to one" >&2
        exit 1
    fi
    echo "== installing torch from $wheel"
    pip_install "$wheel"
fi

# -- Gymnasium, the client, SB3's runtime dependencies ------------------------------------
echo "== installing gymnasium[mujoco], numpy, requests, cloudpickle, clients/python"
pip_install "gymnasium[mujoco]" numpy requests cloudpickle fastapi "uvicorn[standard]" ./clients/python
if [ "${BENCH_SB3_EXTRAS:-0}" = 1 ]; then
    echo "== installing pandas, matplotlib"
    pip_install pandas matplotlib
fi

# -- Stable-Baselines3, from a local checkout only -------------------------------------------
status=0
if [ -n "${SB3_SOURCE:-}" ]; then
    if [ ! -d "$SB3_SOURCE/stable_baselines3" ] || { [ ! -f "$SB3_SOURCE/setup.py" ] && [ ! -f "$SB3_SOURCE/pyproject.toml" ]; }; then
        echo "SB3_SOURCE=$SB3_SOURCE is not a Stable-Baselines3 source directory" \
             "(it needs stable_baselines3/ and setup.py or pyproject.toml)" >&2
        exit 1
    fi
    echo "== installing Stable-Baselines3 from $SB3_SOURCE (--no-deps)"
    pip_install --no-deps "$SB3_SOURCE"
elif "$vpy" -c 'import stable_baselines3' 2>/dev/null; then
    echo "== Stable-Baselines3 already installed in $venv"
else
    echo "stable_baselines3 is not installed and SB3_SOURCE is not set: set SB3_SOURCE to a" \
         "Stable-Baselines3 source directory and run this again (without it, run the benchmark" \
         "with --skip-sb3)" >&2
    status=1
fi

# -- what the venv holds -----------------------------------------------------------------------
echo "== installed in $venv"
"$vpy" - <<'EOF'
import importlib, importlib.metadata as md, sys
print(f"python             {sys.version.split()[0]} ({sys.executable})")
for dist, module in [("torch", "torch"), ("stable-baselines3", "stable_baselines3"), ("gymnasium", "gymnasium"),
                     ("mujoco", "mujoco"), ("numpy", "numpy"), ("requests", "requests"),
                     ("cloudpickle", "cloudpickle"), ("proxima-client", "proxima_client"),
                     ("pandas", "pandas"), ("matplotlib", "matplotlib")]:
    try:
        version = md.version(dist)
    except md.PackageNotFoundError:
        print(f"{dist:<18} -")
        continue
    try:
        mod = importlib.import_module(module)
        where = getattr(mod, "__file__", "") or ""
        extra = ""
        if module == "torch":
            extra = f", cuda {mod.version.cuda}, {mod.get_num_threads()} threads by default"
        print(f"{dist:<18} {version} ({where.rsplit('/', 2)[0] if where else '?'}{extra})")
    except Exception as e:  # installed but does not import
        print(f"{dist:<18} {version} (import failed: {type(e).__name__}: {e})")
EOF
exit "$status"
