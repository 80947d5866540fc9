# Sourced by scripts/demo and scripts/test: a virtualenv in .venv with deblock and the reference
# companion (reference_app/, its own distribution) installed in editable mode.
# Usage: source scripts/setup.sh DEBLOCK_EXTRAS [COMPANION_EXTRAS]   (e.g. "dev" "web")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    "$PYTHON" -m venv "$ROOT/.venv"
fi
"$ROOT/.venv/bin/python" -m pip install --quiet --upgrade pip
companion="$ROOT/reference_app${2:+[$2]}"
"$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT[$1]" -e "$companion"
export PATH="$ROOT/.venv/bin:$PATH"
cd "$ROOT"
