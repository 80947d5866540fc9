# Sourced by scripts/demo and scripts/test: a virtualenv in .venv with deblock and the reference
# companion (reference_app/, its own distribution) installed in editable mode.
# Usage: source scripts/setup.sh DEBLOCK_EXTRAS [COMPANION_EXTRAS]   (e.g. "dev" "web")
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
if [ ! -x "$ROOT/.venv/bin/python" ]; then
    echo "setup: creating the virtualenv .venv" >&2
    "$PYTHON" -m venv "$ROOT/.venv"
fi
echo "setup: upgrading pip in .venv" >&2
"$ROOT/.venv/bin/python" -m pip install --quiet --upgrade pip
companion="$ROOT/reference_app${2:+[$2]}"
echo "setup: installing deblock[$1] and reference_app${2:+[$2]} into .venv (quiet; the first time takes minutes)" >&2
"$ROOT/.venv/bin/python" -m pip install --quiet -e "$ROOT[$1]" -e "$companion"
echo "setup: done; use .venv/bin/deblock, or 'source .venv/bin/activate' first" >&2
export PATH="$ROOT/.venv/bin:$PATH"
cd "$ROOT"
