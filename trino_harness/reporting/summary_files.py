"""Write the control summary: ``controls.json`` (the source), then its Markdown and HTML renderings."""

from __future__ import annotations

from pathlib import Path

from trino_harness.reporting.controls import Run
from trino_harness.reporting.summary_html import render_html
from trino_harness.reporting.summary_md import render_markdown


def write_summary(run: Run, out: Path) -> list[Path]:
    """Write ``controls.json``, ``controls.md`` and ``controls.html`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    paths = [out / "controls.json", out / "controls.md", out / "controls.html"]
    run.save(paths[0])
    paths[1].write_text(render_markdown(run))
    paths[2].write_text(render_html(run))
    return paths
