"""`python -m coach.roles.export`: write the encoder's ONNX file (setup.sh runs this once at install time).

The export is made from the installed weights (the model package's, updated by the fine-tuned tensors when
present), so it is not shipped: it would be 90 MB in the repository and stale whenever those tensors change.
Its name carries the weights' digest; a run that finds no file for the current weights exports one itself.
"""

from __future__ import annotations

import sys

from .encoder import EncoderUnavailable, export_onnx, find_onnx


def main() -> int:
    found = find_onnx()
    if found is not None and "--force" not in sys.argv[1:]:
        print(f"the encoder's ONNX file is up to date: {found}")
        return 0
    try:
        path = export_onnx()
    except EncoderUnavailable as exc:
        print(f"export: {exc}", file=sys.stderr)
        return 1
    print(f"exported the encoder to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
