"""Where things are: the one place that knows the repository's layout and the package's own data.

The default scenario, the default-credentials list and the locustfile are package data
(``trino_harness/defaults/``, ``trino_harness/load/locustfile.py``), so an installed harness has
them; the checkout shows them where a reader looks (``scenarios/``, ``loadtests/``) as symlinks.
The variant catalogue and the reports folder belong to the checkout the harness runs from.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
DEFAULTS = PACKAGE / "defaults"
DEFAULT_SCENARIO = DEFAULTS / "baseline.yaml"
DEFAULT_CREDENTIALS = DEFAULTS / "default-credentials.yaml"
LOCUSTFILE = PACKAGE / "load" / "locustfile.py"
REPO = PACKAGE.parent
VARIANTS = REPO / "scenarios" / "variants"
REPORTS = REPO / "reports"
STACK_LOGS = REPORTS / "stack-logs"
