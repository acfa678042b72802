"""``python -m bench``: build (or reuse) the large synthetic service and run every benchmark (see bench/run.py)."""

import sys

from bench.run import main

sys.exit(main())
