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


def score_split(index: CorpusIndex, split: str) -> Tally:
    """Answer every case of a split and tally the five measures the issue asks for."""
    tally = Tally()
    for case in of_split(split):
        answer = answer_question(case["q"], index)
        point = first_point(answer)
        got_section = point.section_id if point else "no point"
        tally.add("intent", answer.intent.value == case["intent"], case, answer.intent.value)
        if case["kind"] == "ood":
            tally.add("ood_refused", answer.intent is Intent.UNKNOWN, case, answer.intent.value)
            continue
        if case["intent"] != "unknown":
            refused = answer.intent is Intent.UNKNOWN
            tally.add("in_domain_answered", not refused, case, answer.intent.value)
        if case.get("section") and case["intent"] == "topic_brief":
            ok = point is not None and point.section_id in good_sections(case)
            tally.add("best_section_first", ok, case, got_section)
        if case["kind"] == "fact":
            ok = point is not None and case["fact"] in point.text
            tally.add("fact_first", ok, case, point.text[:90] if point else "no point")
    return tally
