#!/usr/bin/env bash
# One command: a fresh virtual environment in .venv with everything coach needs, then a first check.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
"$PYTHON" -m venv .venv
. .venv/bin/activate
python -m pip install --quiet --upgrade pip
# The CPU build of torch first: otherwise pip resolves a multi-GB CUDA build for transformers.
python -m pip install --quiet "torch==2.13.0"
python -m pip install --quiet ".[encoder,dev]"
echo "coach is installed in .venv. A first check on a sample:"
echo
coach check --no-color samples/explanation-blames.txt || true
