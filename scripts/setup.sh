# Sourced by scripts/demo and scripts/test: a virtualenv in .venv with the project installed.
# Usage: source scripts/setup.sh EXTRAS   (e.g. "dev,app")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    "$PYTHON" -m venv "$ROOT/.venv"
fi
"$ROOT/.venv/bin/python" -m pip install --quiet --upgrade pip
"$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT[$1]"
export PATH="$ROOT/.venv/bin:$PATH"
cd "$ROOT"
