"""``controls.html``: the control summary as one self-contained page (inline CSS, no script)."""

from __future__ import annotations

from html import escape

from trino_harness.reporting.controls import STATUSES, Control, Run
from trino_harness.reporting.labels import STAGE_TITLES
from trino_harness.reporting.summary import (
    TITLE,
    evidence_line,
    failed_verdict,
    headline,
    needs_remediation,
    nothing_to_fix,
    remediation_of,
    run_line,
    shorten,
)

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1200px;
 color:#1d2329;padding:0 1rem}
h1{margin-bottom:.2rem}.run{color:#57606a;margin-top:0}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1.2rem}
th,td{border-bottom:1px solid #d8dee4;padding:.3rem .5rem;text-align:left;vertical-align:top}
table.controls{table-layout:fixed}table.controls col.c{width:36%}table.controls col.n{width:4.2rem}
table.controls col.s{width:4.6rem}table.controls col.v{width:5.2rem}table.controls col.p{width:7.5rem}
table.counts{width:auto;min-width:28rem}td{overflow-wrap:break-word}th{background:#f6f8fa}td.n{white-space:nowrap;color:#57606a}td.num{text-align:right}
code{font-size:12px;color:#57606a}
.st{font-weight:700;border-radius:3px;padding:0 .35rem;white-space:nowrap;font-size:12px}
.PASS{background:#dafbe1;color:#116329}.FAIL{background:#ffebe9;color:#a40e26}
.ERROR{background:#fff1c2;color:#7d4e00}.SKIP{background:#eaeef2;color:#57606a}
.sev-critical,.sev-blocker{color:#a40e26;font-weight:600}
details summary{cursor:pointer}pre{white-space:pre-wrap;margin:.3rem 0;font-size:12px}
.fix{border-left:4px solid #a40e26;padding:.2rem .8rem;margin:.6rem 0;background:#fff8f8;color:#1d2329}
.fix dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem .8rem;margin:.3rem 0}
.fix dt{color:#57606a}.fix dd{margin:0;word-break:break-word}
.fix.ERROR{border-color:#bf8700;background:#fffbea}
"""

TABLE_HEAD = (
    '<table class="controls"><colgroup><col class="n"><col class="s"><col class="v"><col class="p">'
    '<col class="c"><col></colgroup><tr><th>#</th><th>result</th><th>severity</th><th>provider</th>'
    "<th>control</th><th>evidence</th></tr>"
)


def badge(status: str) -> str:
    return f'<span class="st {status}">{status}</span>'


def _evidence_cell(control: Control) -> str:
    short = escape(shorten(evidence_line(control)))
    full = "\n\n".join(
        f"{'PASS' if e['ok'] else 'FAIL'} {e['what']}\n"
        f"  expected: {e['expected']}\n  observed: {e['observed']}"
        for e in control.evidence
    )
    if control.detail and control.status != "PASS":
        full = (full + "\n\n" if full else "") + control.detail
    if not full or full == evidence_line(control):
        return short
    return f"<details><summary>{short}</summary><pre>{escape(full)}</pre></details>"


def _facts(control: Control) -> str:
    """What the failed verdict compared, or the error's detail."""
    verdict = failed_verdict(control)
    if verdict:
        shown = (
            ("what", verdict["what"]),
            ("expected", verdict["expected"]),
            ("observed", verdict["observed"]),
        )
        items = "".join(f"<dt>{key}</dt><dd>{escape(str(value))}</dd>" for key, value in shown)
        return f"<dl>{items}</dl>"
    return f"<pre>{escape(control.detail)}</pre>" if control.detail else ""


def _row(number: str, control: Control) -> str:
    return (
        f'<tr id="c{escape(number)}"><td class="n">{escape(number)}</td><td>{badge(control.status)}</td>'
        f'<td class="sev-{escape(control.severity)}">{escape(control.severity)}</td>'
        f"<td>{escape(control.provider)}</td>"
        f"<td>{escape(control.title)}<br><code>{escape(control.check_id)}</code></td>"
        f"<td>{_evidence_cell(control)}</td></tr>"
    )


def _counts_table(run: Run) -> list[str]:
    head = "".join(f"<th>{s}</th>" for s in STATUSES)
    rows = [f'<table class="counts"><tr><th>stage</th>{head}</tr>']
    for stage in dict.fromkeys(c.stage for c in run.ordered()):
        counts = run.counts(c for c in run.controls.values() if c.stage == stage)
        cells = "".join(f'<td class="num">{counts[s]}</td>' for s in STATUSES)
        rows.append(f"<tr><td>{escape(STAGE_TITLES.get(stage, stage))}</td>{cells}</tr>")
    rows.append("</table>")
    return rows


def render_html(run: Run) -> str:
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(TITLE)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(TITLE)}</h1>",
        f'<p class="run">{escape(run_line(run))}</p>',
        f'<p id="headline"><strong>{escape(headline(run))}</strong></p>',
        *_counts_table(run),
    ]
    to_fix: list[tuple[str, Control]] = []
    for number, stage_title, groups in run.numbered():
        parts.append(f"<h2>{escape(number)} {escape(stage_title)}</h2>")
        for group_number, group_title, rows in groups:
            module = escape(rows[0][1].group + ".py")
            parts.append(f"<h3>{escape(group_number)} {escape(group_title)} <code>{module}</code></h3>")
            parts.append(TABLE_HEAD)
            for row_number, control in rows:
                parts.append(_row(row_number, control))
                if needs_remediation(control):
                    to_fix.append((row_number, control))
            parts.append("</table>")
    parts.append('<h2 id="remediations">Remediations</h2>')
    if not to_fix:
        parts.append(f"<p>{escape(nothing_to_fix(run))}</p>")
    for row_number, control in to_fix:
        parts.append(
            f'<div class="fix {control.status}"><p><a href="#c{escape(row_number)}">{escape(row_number)}</a> '
            f"{badge(control.status)} <strong>{escape(control.title)}</strong> "
            f"({escape(control.severity)}, provider {escape(control.provider)})<br>"
            f"<code>{escape(control.check_id)}</code></p>{_facts(control)}"
            f"<p><strong>Remediation:</strong> {escape(remediation_of(control))}</p></div>"
        )
    parts += ["</body></html>", ""]
    return "\n".join(parts)
