"""coach: a local writing coach for residency applications."""

import os as _os

# coach's matrices are small (a paragraph's sentences against a 384-wide model). A multi-threaded BLAS
# spends more time waking and spinning threads than computing them, and on a busy 2-core machine it was
# measured 40 times slower than one thread (fitting the role head: 0.44 s vs 19.7 s). Batch review
# parallelises across documents instead. A user's own setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_name, "1")

__version__ = "0.1.0"
