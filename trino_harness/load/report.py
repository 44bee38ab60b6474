"""The load report: summary JSON (evidence), a readable table, and the overhead chart.

Figures first, verdicts second: every row carries each repeat's value, so a reader sees the
spread behind a median; thresholds are judged from the same figures the table shows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

from trino_harness.load.audit_completeness import Completeness
from trino_harness.load.chart import overhead_svg
from trino_harness.load.runner import LoadSettings, StackResult
from trino_harness.load.summary import PERCENTILES, Spread, across_repeats, gate_figures, overheads
from trino_harness.load.thresholds import Verdict, evaluate
from trino_harness.load.ways import BASELINE, REFERENCE, Selection, way
from trino_harness.scenario.model import LoadLimits

ABSOLUTE = (
    "throughput",
    "error_rate",
    "http_requests_mean",
    "p50_ms",
    "p95_ms",
    "p99_ms",
    "first_p50_ms",
    "first_p95_ms",
)
CHART_METRICS = [f"p{q}_overhead_ms" for q in PERCENTILES]
FIDELITY_FLOOR = 0.9  # Locust below 90% of the raw client's throughput: the generator may be the limit


@dataclass
class Row:
    """One line of the table: a way measured on a stack, with spreads over repeats."""

    way: str
    stack: str
    absolute: dict[str, Spread]
    overhead: dict[str, Spread]
    statements: int
    errors: int

    @property
    def label(self) -> str:
        return self.way if self.stack == REFERENCE or self.way != BASELINE else f"{self.way} ({self.stack})"


def rows_of(results: list[StackResult], selection: Selection) -> list[Row]:
    rows = []
    for result in results:
        per_run_overheads = across_repeats([overheads(r.figures) for r in result.runs])
        per_run_absolute = across_repeats(
            [{n: {k: getattr(f, k) for k in ABSOLUTE} for n, f in r.figures.items()} for r in result.runs]
        )
        for name in selection.home(result.stack) if result.stack != REFERENCE else result.ways:
            rows.append(
                Row(
                    name,
                    result.stack,
                    per_run_absolute.get(name, {}),
                    per_run_overheads.get(name, {}),
                    sum(r.figures[name].statements for r in result.runs if name in r.figures),
                    sum(r.figures[name].errors for r in result.runs if name in r.figures),
                )
            )
    return rows


def gate_of(results: list[StackResult], selection: Selection) -> dict[str, dict[str, float | None]]:
    """Threshold figures per way, each from its home stack (the baseline from the first stack)."""
    figures: dict[str, dict[str, float | None]] = {}
    for result in results:
        gate = gate_figures([r.figures for r in result.runs])
        home = result.ways if result.stack == REFERENCE else selection.home(result.stack)
        for name in home:
            if name in gate and name not in figures:
                figures[name] = gate[name]
    return figures


def _fmt(value: float | None, digits: int = 1, signed: bool = False) -> str:
    if value is None:
        return "n/a"
    return f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"


def _with_spread(s: Spread | None) -> str:
    if s is None or s.median is None:
        return "n/a"
    return f"{_fmt(s.median, signed=True)} [{_fmt(s.low, signed=True)}..{_fmt(s.high, signed=True)}]"


def _table(headers: list[str], lines: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(headers)]

    def render(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [render(headers), "  ".join("-" * w for w in widths), *(render(line) for line in lines)]


def text_report(summary: dict, rows: list[Row], verdicts: list[Verdict]) -> str:
    s = summary["settings"]
    pacing = f"{s['rate_per_user']} statements/s per user" if s["rate_per_user"] else "closed loop"
    out = [
        f"trino-harness load: {summary['created']}  target {summary['target']}  "
        f"Trino {summary['trino_version']}",
        f"statement {s['statement']!r}; {s['users_per_way']} user(s) per way; "
        f"{s['run_time_s']:.0f}s per run; {s['repeat']} repeat(s); pacing: {pacing}; "
        f"Locust processes: {s['processes'] or 1}",
        "",
        "Overhead versus the baseline of the same run, full statement "
        f"(ms; median of {s['repeat']} [min..max]):",
    ]
    over_headers = ["way", "stack", "Δp50", "Δp95", "Δp99", "Δfirst-response p50", "Δfirst-response p95"]
    over_lines = [
        [r.label, r.stack]
        + [_with_spread(r.overhead.get(f"p{q}_overhead_ms")) for q in PERCENTILES]
        + [_with_spread(r.overhead.get(f"first_response_p{q}_overhead_ms")) for q in (50, 95)]
        for r in rows
    ]
    out += _table(over_headers, over_lines)
    out += ["", "Absolute figures (median of repeats):"]
    abs_headers = [
        "way",
        "stack",
        "statements/s",
        "errors",
        "error %",
        "HTTP/stmt",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "first p50 ms",
    ]
    abs_lines = []
    for r in rows:
        a = r.absolute
        med = {k: (a[k].median if k in a else None) for k in ABSOLUTE}
        abs_lines.append(
            [
                r.label,
                r.stack,
                _fmt(med["throughput"]),
                f"{r.errors}/{r.statements}",
                _fmt(None if med["error_rate"] is None else 100 * med["error_rate"], 2),
                _fmt(med["http_requests_mean"]),
                _fmt(med["p50_ms"]),
                _fmt(med["p95_ms"]),
                _fmt(med["p99_ms"]),
                _fmt(med["first_p50_ms"]),
            ]
        )
    out += _table(abs_headers, abs_lines)
    out += ["", f"Load generator (Locust) CPU, % of one core (this machine has {os.cpu_count()} cores):"]
    for stack in summary["stacks"]:
        cpu = ", ".join(f"run {r['index']}: {r['generator']['cpu_percent']:.0f}%" for r in stack["runs"])
        warned = any(r["generator"]["cpu_warning"] for r in stack["runs"])
        out.append(f"  {stack['stack']}: {cpu}{'  (Locust warned: CPU above 90%)' if warned else ''}")
    fid = summary.get("fidelity")
    if fid:
        out += [
            "",
            f"Fidelity ({fid['concurrency']} concurrent, {BASELINE}, closed loop): "
            f"Locust {fid['locust_rps']:.1f} statements/s vs raw requests threads {fid['raw_rps']:.1f}/s "
            f"-> ratio {_fmt(fid['ratio'], 3)} "
            f"(generator CPU: Locust {fid['locust_cpu_percent']:.0f}%, raw {fid['raw_cpu_percent']:.0f}%)",
        ]
        if fid["ratio"] is not None and fid["ratio"] < FIDELITY_FLOOR:
            out.append(
                f"  ratio below {FIDELITY_FLOOR}: Locust may be what limits these figures; "
                "try --processes, or fewer users per generator"
            )
    out += [""] + [
        f"Audit completeness [{stack}]: "
        + (
            f"{audit['not_judged']}"
            if "not_judged" in audit
            else Completeness(**{k: v for k, v in audit.items() if k != "ok"}).line()
            + ("" if audit["ok"] else "  -> FAIL: a query without exactly one audit record")
        )
        for stack, audit in summary["audit_completeness"].items()
    ]
    if summary["skipped"]:
        out += ["", "Not measured: " + "; ".join(f"{k} ({v})" for k, v in summary["skipped"].items())]
    out += [
        "",
        "Thresholds (scenario load.thresholds):"
        if verdicts
        else "Thresholds: none set (scenario load.thresholds)",
    ]
    out += [f"  {v}" for v in verdicts]
    out.append(f"Verdict: {summary['verdict']}")
    return "\n".join(out) + "\n"


def build_summary(
    results: list[StackResult],
    selection: Selection,
    settings: LoadSettings,
    thresholds: dict[str, LoadLimits],
    scenario_path: Path,
    skipped: dict[str, str],
) -> tuple[dict, list[Row], list[Verdict]]:
    rows = rows_of(results, selection)
    gate = gate_of(results, selection)
    verdicts = evaluate(thresholds, gate)
    first = results[0] if results else None
    fid = first.fidelity if first else None
    summary = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "scenario": str(scenario_path),
        "target": first.target_url if first else None,
        "trino_version": first.trino_version if first else None,
        "settings": settings.__dict__,
        "ways": {
            name: {"title": way(name).title, "stack": way(name).stack, "identity": access.as_dict()}
            for name, access in selection.accesses.items()
        },
        "skipped": skipped,
        "rows": [
            {
                "way": r.way,
                "stack": r.stack,
                "statements": r.statements,
                "errors": r.errors,
                "overhead": {k: v.as_dict() for k, v in r.overhead.items()},
                "absolute": {k: v.as_dict() for k, v in r.absolute.items()},
            }
            for r in rows
        ],
        "stacks": [
            {
                "stack": res.stack,
                "ways": res.ways,
                "warmup": {n: f.as_dict() for n, f in res.warmup.items()},
                "runs": [
                    {
                        "index": run.index,
                        "directory": str(run.directory),
                        "generator": run.generator.as_dict(),
                        "figures": {n: f.as_dict() for n, f in run.figures.items()},
                    }
                    for run in res.runs
                ],
            }
            for res in results
        ],
        "fidelity": None
        if fid is None
        else {
            "concurrency": fid.concurrency,
            "locust_rps": fid.locust_rps,
            "raw_rps": fid.raw_rps,
            "ratio": fid.ratio,
            "locust_cpu_percent": fid.locust.cpu_percent,
            "raw_cpu_percent": fid.raw.cpu_percent,
        },
        "gate": gate,
        "thresholds": [v.as_dict() for v in verdicts],
        "audit_completeness": {
            res.stack: res.audit.as_dict() if res.audit else {"not_judged": res.audit_note} for res in results
        },
        "verdict": _verdict(verdicts, [res.audit for res in results if res.audit]),
    }
    return summary, rows, verdicts


def _verdict(verdicts: list[Verdict], audits: list[Completeness]) -> str:
    """The go-live gate: every threshold held and no query lost or duplicated in the audit store."""
    if any(not a.ok for a in audits) or any(not v.ok for v in verdicts):
        return "fail"
    return "pass" if verdicts or audits else "no thresholds"


def write_reports(out_dir: Path, summary: dict, rows: list[Row], verdicts: list[Verdict]) -> dict[str, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "json": out_dir / "summary.json",
        "table": out_dir / "summary.txt",
        "chart": out_dir / "overhead.svg",
    }
    paths["json"].write_text(json.dumps(summary, indent=2, default=str, allow_nan=False) + "\n")
    paths["table"].write_text(text_report(summary, rows, verdicts))
    chart_rows = [(r.label, r.overhead) for r in rows if r.way != BASELINE]
    paths["chart"].write_text(
        overhead_svg(chart_rows, CHART_METRICS, "Per-statement overhead of each way into Trino")
    )
    return paths
