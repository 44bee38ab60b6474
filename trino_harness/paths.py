"""Where things are in the checkout: the one place that knows the repository's layout.

The harness runs from a checkout (``./harness``, ``pip install -e``): the scenarios, the variant
catalogue, the locustfile and the reports folder sit beside the package, not inside it.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
REPO = PACKAGE.parent
SCENARIOS = REPO / "scenarios"
DEFAULT_SCENARIO = SCENARIOS / "baseline.yaml"
VARIANTS = SCENARIOS / "variants"
LOCUSTFILE = REPO / "loadtests" / "locustfile.py"
REPORTS = REPO / "reports"
STACK_LOGS = REPORTS / "stack-logs"
