"""The retrieval question set, loaded, and how an answer is scored against one of its cases."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.briefing import answer_question
from bot.corpus import CorpusIndex
from bot.models import Answer, Intent, Point

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("retrieval_questions.yaml")).read_text(encoding="utf-8")
)
IN_DOMAIN = ("fact", "topic", "other")


def of_split(split: str) -> list[dict[str, Any]]:
    return [case for case in CASES if case["split"] == split]


def first_point(answer: Answer) -> Point | None:
    """The best evidence: the point the lead states, else the first evidence point."""
    return answer.points[0] if answer.points else None


def good_sections(case: dict[str, Any]) -> set[str]:
    return {case["section"], *case.get("also", ())} if case.get("section") else set()


@dataclass
class Tally:
    """Hits and totals per measure, with the misses spelled out."""

    hits: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    misses: dict[str, list[str]] = field(default_factory=dict)

    def add(self, measure: str, ok: bool, case: dict[str, Any], got: str) -> None:
        self.totals[measure] = self.totals.get(measure, 0) + 1
        self.hits[measure] = self.hits.get(measure, 0) + int(ok)
        if not ok:
            self.misses.setdefault(measure, []).append(f"{case['q']!r}: got {got}")

    def rate(self, measure: str) -> float:
        total = self.totals.get(measure, 0)
        return self.hits.get(measure, 0) / total if total else 1.0

    def line(self, measure: str) -> str:
        return (
            f"{measure}: {self.rate(measure):.1%} "
            f"({self.hits.get(measure, 0)}/{self.totals.get(measure, 0)})"
        )


MEASURES = ("best_section_first", "fact_first", "intent", "ood_refused", "in_domain_answered")


def case_results(case: dict[str, Any], answer: Answer) -> dict[str, tuple[bool, str]]:
    """Which of the five measures one case counts in, each with (passed, what was got)."""
    point = first_point(answer)
    got_section = point.section_id if point else "no point"
    out = {"intent": (answer.intent.value == case["intent"], answer.intent.value)}
    if case["kind"] == "ood":
        out["ood_refused"] = (answer.intent is Intent.UNKNOWN, answer.intent.value)
        return out
    if case["intent"] != "unknown":
        out["in_domain_answered"] = (answer.intent is not Intent.UNKNOWN, answer.intent.value)
    if case.get("section") and case["intent"] == "topic_brief":
        ok = point is not None and point.section_id in good_sections(case)
        out["best_section_first"] = (ok, got_section)
    if case["kind"] == "fact":
        ok = point is not None and case["fact"] in point.text
        out["fact_first"] = (ok, point.text[:90] if point else "no point")
    return out


def reciprocal_rank(case: dict[str, Any], answer: Answer) -> float | None:
    """1 / the place of the case's best section among the sections the answer shows (0 when it
    shows none of them); None for a case without a labelled topic section. The bench's MRR."""
    good = good_sections(case)
    if not good or case["intent"] != "topic_brief":
        return None
    shown: dict[str, None] = {}
    for p in answer.points:
        if p.section_id:
            shown.setdefault(p.section_id)
    place = next((i for i, sid in enumerate(shown) if sid in good), None)
    return 0.0 if place is None else 1 / (place + 1)


def score_split(index: CorpusIndex, split: str) -> Tally:
    """Answer every case of a split and tally the five measures the issue asks for."""
    tally = Tally()
    for case in of_split(split):
        for measure, (ok, got) in case_results(case, answer_question(case["q"], index)).items():
            tally.add(measure, ok, case, got)
    return tally
