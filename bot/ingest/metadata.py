"""A report's metadata: YAML front matter when present, otherwise inferred from its text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

import yaml

from bot.dates import MONTH_NAMES, Precision
from bot.errors import ContentError
from bot.ingest.front_matter_yaml import load_front_matter_yaml

ALLOWED_KEYS = ("title", "published", "publisher", "url")
_FENCE_CLOSE = ("---", "...")


@dataclass
class FrontMatter:
    title: str | None = None
    published: date | None = None
    published_precision: Precision | None = None
    publisher: str | None = None
    url: str | None = None
    end_line: int = 0  # number of lines the block occupies (0 when absent)


def read_front_matter(path: str, lines: list[str]) -> FrontMatter:
    """Parse an optional leading ``---`` YAML block; unknown keys or a bad date are errors."""
    if not lines or lines[0].strip() != "---":
        return FrontMatter()
    end = next((i for i in range(1, len(lines)) if lines[i].strip() in _FENCE_CLOSE), None)
    if end is None:
        raise ContentError(
            path, 1, "front matter is not closed", "end the YAML block with a line '---'"
        )
    body = "\n".join(lines[1:end])
    try:
        data = load_front_matter_yaml(path, body, 2) if body.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ContentError(
            path,
            line,
            f"invalid front matter: {problem}",
            "write 'key: value' lines (title, published, publisher, url)",
        ) from None
    except (ValueError, TypeError) as exc:
        # YAML's own date parsing rejects impossible dates such as 2025-13-45.
        line = next((i + 1 for i in range(1, end) if "published" in lines[i]), 2)
        raise ContentError(
            path,
            line,
            f"front matter 'published' is not a date ({exc})",
            "write published: YYYY-MM-DD (or just the year)",
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ContentError(
            path,
            2,
            "front matter must be 'key: value' lines",
            "use keys title, published, publisher, url",
        )

    def key_line(key: object) -> int:
        for i in range(1, end):
            if re.match(rf"\s*['\"]?{re.escape(str(key))}['\"]?\s*:", lines[i]):
                return i + 1
        return 2

    fm = FrontMatter(end_line=end + 1)
    for key, value in data.items():
        if key not in ALLOWED_KEYS:
            raise ContentError(
                path,
                key_line(key),
                f"unknown front matter key '{key}'",
                "allowed keys: " + ", ".join(ALLOWED_KEYS),
            )
        if key == "published":
            parsed = _parse_date(path, key_line(key), value)
            if parsed is not None:
                fm.published, fm.published_precision = parsed
            continue
        if value is None:
            continue
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ContentError(
                path, key_line(key), f"front matter '{key}' must be text", f"write {key}: some text"
            )
        text = str(value).strip()
        if key == "url" and text and not re.match(r"^https?://\S+$", text):
            raise ContentError(
                path,
                key_line(key),
                f"front matter url is not a URL: {text!r}",
                "write url: https://...",
            )
        setattr(fm, key, text or None)
    return fm


def _parse_date(path: str, line: int, value: object) -> tuple[date, Precision] | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date(), "day"
    if isinstance(value, date):
        return value, "day"
    text = str(value).strip()
    try:
        if re.fullmatch(r"(19|20)\d{2}", text):
            return date(int(text), 1, 1), "year"
        if re.fullmatch(r"(19|20)\d{2}-\d{2}", text):
            return date(int(text[:4]), int(text[5:]), 1), "month"
        return date.fromisoformat(text), "day"
    except ValueError:
        raise ContentError(
            path,
            line,
            f"front matter 'published' is not a date: {text!r}",
            "write published: YYYY-MM-DD (or just the year)",
        ) from None


# --- inference ------------------------------------------------------------------------------

_YEAR = r"((?:19|20)\d{2})"
_MONTHS = MONTH_NAMES
_MONTH = r"(?:(" + "|".join(_MONTHS) + r")\s+)?"
_TITLE_YEAR = re.compile(r"(?<![\w.-])" + _YEAR + r"(?![\w-])")
_PHRASES = [
    re.compile(r"\bas of\s+" + _MONTH + _YEAR + r"\b", re.IGNORECASE),
    re.compile(
        r"\b(?:the )?year\s+()" + _YEAR + r"\s+(?:has seen|saw|has brought|brought|marks|"
        r"marked)\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b()" + _YEAR + r"\s+(?:marks|marked|has seen|saw|has brought)\b", re.IGNORECASE),
    re.compile(
        r"\b(?:published|updated|written)\s+(?:in|on)?\s*" + _MONTH + _YEAR + r"\b", re.IGNORECASE
    ),
]


# Stated dates are more precise than a title year: "Published 2026-11-02", "updated November 2026".
_STATED = re.compile(
    r"\b(?:published|updated|dated|written|released)\s*(?:in|on|:)?\s*"
    r"(?:(?P<iso>(?:19|20)\d{2}-\d{2}-\d{2})|(?P<day>\d{1,2})?\s*(?P<month>"
    + "|".join(_MONTHS)
    + r")\s+(?P<day2>\d{1,2},\s*)?(?P<year>(?:19|20)\d{2}))\b",
    re.IGNORECASE,
)


@dataclass
class Inferred:
    published: date | None = None
    notes: list[str] = field(default_factory=list)
    precision: Precision | None = None


def _stated_date(lines: list[str], start_line: int) -> Inferred | None:
    for i in range(start_line, len(lines)):
        m = _STATED.search(lines[i])
        if not m:
            continue
        phrase = " ".join(m.group(0).split())
        try:
            if m.group("iso"):
                when = date.fromisoformat(m.group("iso"))
                precision: Precision = "day"
            else:
                month = _MONTHS.index(m.group("month").lower()) + 1
                day_text = m.group("day") or (m.group("day2") or "").strip(", ")
                when = date(int(m.group("year")), month, int(day_text) if day_text else 1)
                precision = "day" if day_text else "month"
        except ValueError:
            continue  # "Published 2026-13-45" is no date; look further
        note = f"published {when.isoformat()} inferred from '{phrase}' (line {i + 1})"
        return Inferred(when, [note], precision)
    return None


def infer_published(
    title: str | None, title_line: int | None, lines: list[str], start_line: int = 0
) -> Inferred:
    """Date of a report from a stated date in its text ("Published 2026-11-02"), else its
    title year, else the first dating phrase; each keeps the precision it is written with."""
    stated = _stated_date(lines, start_line)
    if stated is not None:
        return stated
    if title:
        years = _TITLE_YEAR.findall(title)
        if years:
            year = int(years[-1])
            return Inferred(
                date(year, 1, 1),
                [f"published {year} inferred from the title year (line {title_line or 1})"],
                "year",
            )
    for i in range(start_line, len(lines)):
        for pattern in _PHRASES:
            m = pattern.search(lines[i])
            if m:
                month_name, year_text = m.group(1), m.group(2)
                month = _MONTHS.index(month_name.lower()) + 1 if month_name else 1
                when = f"{year_text}-{month:02d}" if month_name else year_text
                phrase = " ".join(m.group(0).split())
                return Inferred(
                    date(int(year_text), month, 1),
                    [f"published {when} inferred from '{phrase}' (line {i + 1})"],
                    "month" if month_name else "year",
                )
    return Inferred(None, [])


_TITLE_PREFIX = re.compile(r"^(?:report|briefing|brief)\s*:\s*", re.IGNORECASE)


def readable_title(heading: str) -> str:
    """A title from a first heading: drop a leading "Report:" label."""
    return _TITLE_PREFIX.sub("", heading).strip() or heading
