"""Read content/rules.toml, curation.toml and retrieval.toml into rules, verdicts, word lists."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.conflicts import DEFAULT_RULES, NO_CURATION, ConflictRules, Curation
from bot.errors import ContentError
from bot.ingest.limits import MAX_PHRASE_GAPS, MAX_PHRASE_WORDS
from bot.models import RetrievalWords

RULES_FILE = "rules.toml"
CURATION_FILE = "curation.toml"

# rules.toml table -> {key in the file: ConflictRules field}
_RULES_LAYOUT: dict[str, dict[str, str]] = {
    "thresholds": {
        "numeric_tolerance": "numeric_tolerance",
        "consensus_min_sources": "consensus_min_sources",
        "max_sides": "max_sides",
        "window_words": "window_words",
        "min_claim_words": "min_claim_words",
        "year_min": "year_min",
        "year_max": "year_max",
    },
    "stance": {
        "mature": "mature",
        "early": "early",
        "negators": "negators",
        "exits": "exits",
        "hedges": "hedges",
        "scoped": "scoped",
    },
    "quantities": {
        "qualifiers": "qualifiers",
        "currencies": "currencies",
        "scales": "scales",
        "units": "units",
        "tolerances": "unit_tolerances",
        "upper_bounds": "upper_bounds",
        "lower_bounds": "lower_bounds",
        "approximate": "approximate",
        "ratios": "ratios",
        "fractions": "fractions",
        "vague_numbers": "vague_numbers",
        "change_verbs": "change_verbs",
    },
    "claims": {
        "unverified": "unverified",
        "verified": "verified",
        "caution": "caution",
        "achieved": "achieved",
        "reserved": "reserved",
        "rising": "rising",
        "falling": "falling",
        "not_direction": "not_direction",
        "clause_breaks": "clause_breaks",
        "anaphora": "anaphora",
        "subordinators": "subordinators",
        "agreement_overlap": "agreement_overlap",
        "plain_agreement_overlap": "plain_agreement_overlap",
        "plain_agreement_words": "plain_agreement_words",
        "agreement_lead_words": "agreement_lead_words",
    },
    "timeline": {
        "events": "events",
        "targets": "targets",
        "starts": "time_starts",
        "not_before": "time_not_before",
        "held_off": "time_held_off",
        "parts": "date_parts",
        "kinds": "event_kinds",
    },
    "subjects": {
        "generic_names": "generic_names",
        "common_words": "common_words",
        "equivalents": "word_equivalents",
        "hint": "subjects",
    },
    "sentences": {"abbreviations": "abbreviations"},
}


def _line_of(text: str, *keys: str | int) -> int | None:
    """Best-effort line of a key path in a TOML text (tomllib keeps no positions)."""
    lines = text.split("\n")
    start = 0
    line: int | None = None
    for key in keys:
        if isinstance(key, int):
            continue
        pattern = re.compile(
            rf"^\s*(?:\[+\s*(?:[\w.\"-]+\.)?\"?{re.escape(key)}\"?\s*\]+|\"?{re.escape(key)}\"?\s*=)"
        )
        for i in range(start, len(lines)):
            if pattern.match(lines[i]):
                line, start = i + 1, i
                break
    return line


def _nth_table_line(text: str, header: str, index: int) -> int | None:
    count = -1
    for i, raw in enumerate(text.split("\n")):
        if raw.strip().replace(" ", "") == f"[[{header}]]":
            count += 1
            if count == index:
                return i + 1
    return None


def _read_toml(path: Path) -> tuple[dict[str, Any], str]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ContentError(str(path), None, "not UTF-8 text", "re-save the file as UTF-8") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        line = int(m.group(1)) if m else None
        if line is None and "end of document" in str(exc):
            line = len(text.rstrip("\n").split("\n"))
        raise ContentError(
            str(path),
            line,
            f"invalid TOML: {exc}",
            "fix the syntax (strings in double quotes, one key per line)",
        ) from None


def load_rules(content_dir: Path) -> ConflictRules:
    """content/rules.toml over the built-in defaults; the defaults when the file is missing."""
    path = Path(content_dir) / RULES_FILE
    if not path.is_file():
        return DEFAULT_RULES
    data, text = _read_toml(path)
    fields: dict[str, Any] = {}
    for table, value in data.items():
        layout = _RULES_LAYOUT.get(table)
        if table == "measures":
            if not isinstance(value, dict):
                raise ContentError(str(path), _line_of(text, table), "[measures] must be a table")
            value = dict(value)
            if "units" in value:
                fields["unit_measures"] = value.pop("units")
            fields["measures"] = value
            continue
        if layout is None or not isinstance(value, dict):
            raise ContentError(
                str(path),
                _line_of(text, table),
                f"unknown table [{table}]",
                "use " + ", ".join(f"[{t}]" for t in [*_RULES_LAYOUT, "measures"]),
            )
        for key, item in value.items():
            if key not in layout:
                raise ContentError(
                    str(path),
                    _line_of(text, table, key),
                    f"unknown key {key!r} in [{table}]",
                    "use one of " + ", ".join(layout),
                )
            fields[layout[key]] = item
    try:
        rules = ConflictRules(**fields)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = [str(p) for p in err["loc"]]
        field = loc[0] if loc else ""
        table, key = next(
            ((t, k) for t, keys in _RULES_LAYOUT.items() for k, f in keys.items() if f == field),
            ("measures", "units" if field == "unit_measures" else ""),
        )
        line = None
        arrays = {"subjects": "subjects.hint", "scoped": "stance.scoped"}
        if field in arrays and len(loc) > 1 and loc[1].isdigit():
            line = _nth_table_line(text, arrays[field], int(loc[1]))
        line = line or _line_of(text, table, key) or _line_of(text, table)
        inner = " ".join(f"#{int(p) + 1}" if p.isdigit() else p for p in loc[1:])
        raise ContentError(
            str(path),
            line,
            f"[{table}] {key or field}{' ' + inner if inner else ''}: {err['msg']}",
            "see the comments at the top of rules.toml for the expected shape",
        ) from None
    _check_phrases(path, text, rules)
    return rules


def phrase_problem(phrase: str) -> str | None:
    """Why a lexicon phrase is refused, or None: the shapes whose regex could backtrack.

    A `~` gap compiles to an optional run of up to three words; gaps side by side, or many
    in one phrase, multiply the ways a near-miss can be tried (a phrase of twenty gaps hung
    ingest for minutes). Separated gaps, at most MAX_PHRASE_GAPS of them in a phrase of at
    most MAX_PHRASE_WORDS words, match in time linear in the text.
    """
    words = phrase.split()
    gaps = words.count("~")
    if gaps > MAX_PHRASE_GAPS:
        return f"has {gaps} gaps (~); the limit is {MAX_PHRASE_GAPS}"
    if len(words) > MAX_PHRASE_WORDS:
        return f"has {len(words)} words; the limit is {MAX_PHRASE_WORDS}"
    if any(a == b == "~" for a, b in zip(words, words[1:], strict=False)):
        return "has two gaps (~ ~) in a row; one ~ already stands for up to three words"
    if words and gaps == len(words):
        return "is only gaps (~)"
    if any(w.strip("*") == "" and w != "~" for w in words):
        return "has a word that is only '*', which matches any word"
    return None


def _check_phrases(path: Path, text: str, rules: ConflictRules) -> None:
    lists: list[tuple[str, tuple[str, ...]]] = [
        ("stance", rules.mature),
        ("stance", rules.early),
        ("stance", rules.negators),
        ("stance", rules.exits),
        ("stance", rules.hedges),
        ("timeline", rules.events),
        ("timeline", rules.targets),
        ("timeline", rules.time_starts),
        ("timeline", rules.time_not_before),
        ("timeline", rules.time_held_off),
        *(("timeline.kinds", phrases) for phrases in rules.event_kinds.values()),
        *(("measures", phrases) for phrases in rules.measures.values()),
        *(("subjects.hint", hint.patterns) for hint in rules.subjects),
        *(("stance.scoped", sc.mature + sc.early) for sc in rules.scoped),
        ("claims", rules.rising),
        ("claims", rules.falling),
        ("claims", rules.not_direction),
    ]
    for table, phrases in lists:
        for phrase in phrases:
            problem = phrase_problem(phrase)
            if problem is None:
                continue
            lines = text.split("\n")
            quoted = (f'"{phrase}"', f"'{phrase}'")
            line = next(
                (n for n, raw in enumerate(lines, 1) if any(q in raw for q in quoted)), None
            )
            raise ContentError(
                str(path),
                line or _line_of(text, table),
                f"[{table}] phrase {phrase!r} {problem}",
                f"use at most {MAX_PHRASE_GAPS} separated '~' gaps and {MAX_PHRASE_WORDS} words; "
                "one '~' stands for up to three words",
            )


def load_curation(content_dir: Path) -> Curation:
    """content/curation.toml: confirmed, dismissed and added flags; empty when missing."""
    path = Path(content_dir) / CURATION_FILE
    if not path.is_file():
        return NO_CURATION.model_copy(update={"path": str(path)})
    data, text = _read_toml(path)
    unknown = set(data) - {"confirm", "dismiss", "add"}
    if unknown:
        key = sorted(unknown)[0]
        raise ContentError(
            str(path),
            _line_of(text, key),
            f"unknown key {key!r}",
            "use [[confirm]], [[dismiss]] or [[add]] tables",
        )
    built: dict[str, Any] = {"path": str(path)}
    for name in ("confirm", "dismiss", "add"):
        entries = data.get(name, [])
        if not isinstance(entries, list):
            raise ContentError(str(path), _line_of(text, name), f"{name} must be [[{name}]] tables")
        rows = []
        for n, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise ContentError(
                    str(path), _line_of(text, name), f"{name} must be [[{name}]] tables"
                )
            rows.append({**entry, "line": _nth_table_line(text, name, n) or 0})
        built[name] = rows
    try:
        return Curation(**built)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = list(err["loc"])
        line = None
        if len(loc) >= 2 and isinstance(loc[1], int):
            line = _nth_table_line(text, str(loc[0]), loc[1])
        what = ".".join(str(p) for p in loc)
        raise ContentError(
            str(path),
            line,
            f"{what}: {err['msg']}",
            "each [[confirm]]/[[dismiss]] needs flag_id; each [[add]] needs topic, kind "
            "(stance, numeric, timeline, consensus, single_source), summary and "
            "[[add.sides]] with source_id and claim",
        ) from None


RETRIEVAL_FILE = "retrieval.toml"
_WORD = re.compile(r"[a-z0-9][a-z0-9'/+.-]*")


def _line_of_string(text: str, value: str) -> int | None:
    quoted = f'"{value}"'
    return next((n for n, line in enumerate(text.split("\n"), 1) if quoted in line), None)


def _word_list(path: Path, text: str, table: str, value: Any) -> tuple[str, ...]:
    where = f"[{table}] words"
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise ContentError(
            str(path),
            _line_of(text, table),
            f"{where} must be a list of strings",
            'write words = ["stock", "shares"]',
        )
    words: list[str] = []
    for w in value:
        word = w.strip().casefold()
        if not _WORD.fullmatch(word):
            raise ContentError(
                str(path),
                _line_of_string(text, w) or _line_of(text, table),
                f"{where}: {w!r} is not one word",
                "one word per entry (questions are looked up word by word: a phrase never matches)",
            )
        words.append(word)
    return tuple(dict.fromkeys(words))


EVERYDAY_FILE = "everyday_words.txt"
_EVERYDAY_WORD = re.compile(r"[a-z]+")


def load_everyday_words(content_dir: Path) -> tuple[str, ...]:
    """content/everyday_words.txt: one everyday English word a line, # for comments; () when
    the file is missing."""
    path = Path(content_dir) / EVERYDAY_FILE
    if not path.is_file():
        return ()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as err:
        reason = f"not UTF-8 text ({err.reason})"
        raise ContentError(str(path), None, reason, "save it as UTF-8") from None
    words: list[str] = []
    for n, line in enumerate(text.split("\n"), 1):
        word = line.strip().casefold()
        if not word or word.startswith("#"):
            continue
        if not _EVERYDAY_WORD.fullmatch(word):
            raise ContentError(
                str(path),
                n,
                f"{line.strip()!r} is not one word of letters a-z",
                "one word a line (questions are looked up word by word), or start the line "
                "with # to make it a comment",
            )
        words.append(word)
    return tuple(dict.fromkeys(words))


def load_retrieval_words(content_dir: Path) -> RetrievalWords | None:
    """content/retrieval.toml and everyday_words.txt: the retrieval's word lists; None
    (built-in lists) when both are missing."""
    everyday = load_everyday_words(content_dir)
    lists = _load_retrieval_toml(content_dir)
    if lists is None and not everyday:
        return None
    if lists is None:
        from bot.retrieval.lexicon import builtin_lists

        lists = builtin_lists()
    return lists.model_copy(update={"everyday": everyday})


def _load_retrieval_toml(content_dir: Path) -> RetrievalWords | None:
    path = Path(content_dir) / RETRIEVAL_FILE
    if not path.is_file():
        return None
    data, text = _read_toml(path)
    unknown = set(data) - {
        "off_domain",
        "off_domain_subjects",
        "domain",
        "focus_units",
        "synonyms",
        "answer_kinds",
    }
    if unknown:
        key = sorted(unknown)[0]
        raise ContentError(
            str(path),
            _line_of(text, key),
            f"unknown table {key!r}",
            "use [off_domain], [off_domain_subjects], [domain], [focus_units], [synonyms] "
            "and [answer_kinds]",
        )
    lists: dict[str, Any] = {}
    for table in ("off_domain", "off_domain_subjects", "domain"):
        body = data.get(table, {})
        if not isinstance(body, dict) or set(body) - {"words"}:
            raise ContentError(
                str(path),
                _line_of(text, table),
                f"[{table}] takes one key, words",
                f'write [{table}] then words = ["..."]',
            )
        lists[table] = _word_list(path, text, table, body.get("words", []))
    focus = data.get("focus_units", {})
    if not isinstance(focus, dict):
        raise ContentError(
            str(path),
            _line_of(text, "focus_units"),
            "[focus_units] must be a table",
            'write [focus_units] then energy = ["watts"]',
        )
    pairs: list[tuple[str, tuple[str, ...]]] = []
    for word, units in focus.items():
        if not isinstance(units, list) or not units or not all(isinstance(u, str) for u in units):
            raise ContentError(
                str(path),
                _line_of(text, word),
                f"[focus_units] {word}: must list unit names",
                f'write {word} = ["watts"] (units as the claims read them)',
            )
        pairs.append((word.casefold(), tuple(u.strip() for u in units)))
    return RetrievalWords(
        off_domain=lists["off_domain"],
        off_domain_subjects=lists["off_domain_subjects"],
        domain=lists["domain"],
        focus_units=tuple(pairs),
        synonyms=_synonym_groups(path, text, data.get("synonyms", {})),
        answer_kinds=_answer_kinds(path, text, data.get("answer_kinds", {})),
    )


_PHRASE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")


def _answer_kinds(
    path: Path, text: str, body: Any
) -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """[answer_kinds.<name>] asks = ["any good"], answers = ["limited"]: question phrases and
    the single words that mark a sentence of that kind."""
    fix = 'write [answer_kinds.evaluation] then asks = ["any good"] and answers = ["limited"]'
    if not isinstance(body, dict):
        raise ContentError(
            str(path), _line_of(text, "answer_kinds"), "[answer_kinds] must be a table", fix
        )
    out: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    for name, kind in body.items():
        where = f"[answer_kinds.{name}]"
        asks = kind.get("asks") if isinstance(kind, dict) else None
        if (
            not isinstance(kind, dict)
            or set(kind) != {"asks", "answers"}
            or not isinstance(asks, list)
            or not asks
            or not all(isinstance(a, str) for a in asks)
        ):
            raise ContentError(
                str(path),
                _line_of(text, f"answer_kinds.{name}"),
                f"{where} takes two keys, asks (phrases) and answers (words)",
                fix,
            )
        phrases: list[str] = []
        for a in asks:
            phrase = " ".join(a.casefold().split())
            if not _PHRASE.fullmatch(phrase):
                raise ContentError(
                    str(path),
                    _line_of_string(text, a) or _line_of(text, f"answer_kinds.{name}"),
                    f"{where} asks: {a!r} is not a phrase of plain words",
                    "letters, digits and spaces only (questions are read without punctuation)",
                )
            phrases.append(phrase)
        answers = _word_list(path, text, f"answer_kinds.{name}", kind["answers"])
        if not answers:
            raise ContentError(
                str(path),
                _line_of(text, f"answer_kinds.{name}"),
                f"{where} answers is empty",
                "list the words that mark a sentence of this kind",
            )
        out.append((str(name), tuple(dict.fromkeys(phrases)), answers))
    return tuple(out)


def _synonym_groups(path: Path, text: str, body: Any) -> tuple[tuple[str, ...], ...]:
    """[synonyms] groups = [["catch", "drawback"], ...]: lists of two or more single words."""
    groups = body.get("groups", []) if isinstance(body, dict) else None
    if (
        not isinstance(body, dict)
        or set(body) - {"groups"}
        or not isinstance(groups, list)
        or not all(isinstance(g, list) for g in groups)
    ):
        raise ContentError(
            str(path),
            _line_of(text, "synonyms"),
            "[synonyms] takes one key, groups: a list of word lists",
            'write [synonyms] then groups = [["catch", "drawback"], ["cheap", "cheaper"]]',
        )
    out: list[tuple[str, ...]] = []
    for group in groups:
        words = _word_list(path, text, "synonyms", group)
        if len(words) < 2:
            raise ContentError(
                str(path),
                _line_of(text, "synonyms"),
                f"[synonyms] group {group!r} needs at least two words",
                "put two or more words that mean the same in one group",
            )
        out.append(words)
    return tuple(out)
