"""The run's controls: one record per suite check, its verdict and evidence; ``controls.json`` I/O.

``controls.json`` is the one source of truth for the control summary: the pytest plugin writes it
at the end of a suites run, ``python -m trino_harness report`` renders it again. A record is built
from plain values (no pytest objects), phase by phase, as the controller receives them.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from trino_harness.evidence import EvidenceRecord
from trino_harness.reporting.labels import STAGE_TITLES, STAGES


class Status(StrEnum):
    """A control's verdict (a ``str``, so ``controls.json`` stays plain text)."""

    PASS = "PASS"
    FAIL = "FAIL"
    ERROR = "ERROR"
    SKIP = "SKIP"


PASS, FAIL, ERROR, SKIP = Status.PASS, Status.FAIL, Status.ERROR, Status.SKIP
STATUSES = tuple(Status)
# FAIL: a check's verdict was negative (CheckFailed). ERROR: the check could not judge (setup broke,
# an unexpected exception, pytest.fail("inconclusive ...")); it never counts as a pass.
_WORSE = {PASS: 0, SKIP: 1, FAIL: 2, ERROR: 3}
SCHEMA = 1


@dataclass(frozen=True)
class Control:
    """One suite check as the summary shows it.

    Attributes:
        check_id: the pytest node id below ``suites/``: stable, greppable, what ``-k``/``--deselect`` take.
        title: the check in words, from the test function's name and its case id.
        group: the module the check lives in; ``group_title`` is the first line of its docstring.
        index: position in collection order (sorts the report; xdist runs in any order).
        evidence: each verdict the check reached, redacted (``Evidence.as_json``), oldest first.
        detail: the failure, error or skip text when no verdict explains it (redacted).
        remediation: the usual fix of the failed verdict ("" when none applies).
    """

    check_id: str
    title: str
    stage: str
    provider: str
    severity: str
    group: str
    group_title: str
    index: int
    status: Status = PASS
    evidence: tuple[EvidenceRecord, ...] = ()
    detail: str = ""
    remediation: str = ""
    duration_s: float = 0.0
    phases: tuple[str, ...] = ()  # the pytest phases reported (setup, call, teardown)

    def merged(self, phase: Control) -> Control:
        """This record with a later phase's outcome folded in: the worst status wins, except that a
        FAIL (a finding) stays a FAIL when a later phase (teardown) breaks; its text joins the detail."""
        kept_fail = self.status == FAIL and phase.status == ERROR
        worse = _WORSE[phase.status] > _WORSE[self.status] and not kept_fail
        detail = phase.detail if worse else self.detail
        if kept_fail:
            detail = f"{self.detail}\n{phase.detail}".strip()
        return replace(
            self,
            status=phase.status if worse else self.status,
            evidence=self.evidence + phase.evidence,
            detail=detail,
            remediation=phase.remediation if worse else self.remediation,
            duration_s=self.duration_s + phase.duration_s,
            phases=self.phases + tuple(p for p in phase.phases if p not in self.phases),
        )

    def unfinished(self) -> bool:
        """Set up and never run: no call phase came, and nothing before it skipped or broke."""
        return self.status == PASS and "call" not in self.phases

    def as_json(self) -> dict[str, Any]:
        """Plain values only: the record crosses xdist's wire (execnet) and lands in ``controls.json``."""
        return {**asdict(self), "status": self.status.value}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Control:
        return cls(
            **{
                **data,
                "status": Status(data.get("status", PASS)),
                "evidence": tuple(data.get("evidence", ())),
                "phases": tuple(data.get("phases", ())),
            }
        )


def stage_number(stage: str) -> int:
    """1 TLS, 2 authn, 3 authz, 4 audit, 5 secrets, 6 smoke; anything else after them."""
    return STAGES.index(stage) + 1 if stage in STAGES else len(STAGES) + 1


def humanize(function: str, case_id: str) -> str:
    """``test_ldap_login`` + ``bob-wrong-password`` → ``ldap login [bob-wrong-password]``."""
    words = re.sub(r"^test_", "", function).replace("_", " ")
    return f"{words} [{case_id}]" if case_id else words


@dataclass
class Run:
    """Every control of one run plus what identifies the run (scenario, Trino version, selection)."""

    meta: dict[str, Any] = field(default_factory=dict)
    controls: dict[str, Control] = field(default_factory=dict)

    def add(self, phase: Control) -> None:
        known = self.controls.get(phase.check_id)
        self.controls[phase.check_id] = known.merged(phase) if known else phase

    def finish(self) -> int:
        """No record, no pass: a check that never reached its call phase (the run was interrupted,
        its xdist worker crashed) is an ERROR, whatever its setup said. Returns how many."""
        unfinished = [c for c in self.controls.values() if c.unfinished()]
        for control in unfinished:
            self.controls[control.check_id] = replace(
                control,
                status=ERROR,
                detail="no verdict: the run ended (interrupted, or the worker running it died) "
                "before this check ran",
            )
        return len(unfinished)

    def ordered(self) -> list[Control]:
        """Stage order (TLS → authn → authz → audit → secrets → smoke), then collection order."""
        rank = {stage: i for i, stage in enumerate(STAGES)}
        return sorted(self.controls.values(), key=lambda c: (rank.get(c.stage, len(STAGES)), c.index))

    def counts(self, controls: Iterable[Control] | None = None) -> dict[str, int]:
        chosen = list(self.controls.values() if controls is None else controls)
        return {status: sum(c.status == status for c in chosen) for status in STATUSES}

    def numbered(self) -> list[tuple[str, str, list[tuple[str, str, list[tuple[str, Control]]]]]]:
        """kube-bench numbering: ``[(n, stage title, [(n.m, group title, [(n.m.k, control)])])]``.

        A stage keeps its number whatever else ran (``stage_number``); groups and controls count up.
        """
        sections: list[tuple[str, str, list[tuple[str, str, list[tuple[str, Control]]]]]] = []
        stage = group = None
        for control in self.ordered():
            if control.stage != stage:
                stage, group = control.stage, None
                sections.append((str(stage_number(stage)), STAGE_TITLES.get(stage, stage), []))
            number, _, groups = sections[-1]
            if control.group != group:
                group = control.group
                groups.append((f"{number}.{len(groups) + 1}", control.group_title, []))
            group_number, _, rows = groups[-1]
            rows.append((f"{group_number}.{len(rows) + 1}", control))
        return sections

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {
            "schema": SCHEMA,
            "meta": self.meta,
            "controls": [c.as_json() for c in self.ordered()],
        }
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
        os.replace(tmp, path)

    @classmethod
    def load(cls, path: Path) -> Run:
        data = json.loads(path.read_text())
        if data.get("schema") != SCHEMA:
            raise ValueError(f"{path}: controls schema {data.get('schema')!r}, this harness reads {SCHEMA}")
        run = cls(meta=data.get("meta", {}))
        for entry in data["controls"]:
            run.add(Control.from_json(entry))
        return run
