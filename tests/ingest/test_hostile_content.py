"""Hostile content (huge, UTF-16, YAML bombs, symlinks out, escapes) is refused or defused."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from bot.ingest import build_corpus
from bot.ingest.limits import MAX_FILE_BYTES, MAX_REPORTS, MAX_SECTIONS_PER_REPORT

from .conftest import REPORT_A, REPORT_B
from .test_bad_input import GOOD, _assert_error

BODY = "# T\n\n## S\nText about qubits.\n"
BILLION_LAUGHS = (
    "---\n"
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "published: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "---\n" + BODY
)
PWNED = Path("/tmp/briefbot-test-pwned")

CASES: list[tuple[str, str | bytes, str, str]] = [
    ("utf-16 with bom", BODY.encode("utf-16"), "c.md:1", "UTF-16"),
    (
        "utf-16 big endian",
        "\ufeff".encode("utf-16-be") + BODY.encode("utf-16-be"),
        "c.md:1",
        "UTF-16",
    ),
    ("huge file", b"# T\n\n## S\n" + b"x " * (MAX_FILE_BYTES // 2 + 1), "c.md", "too large"),
    (
        "deeply nested flow yaml",
        "---\ntitle: " + "[" * 100_000 + "\n---\n" + BODY,
        "c.md:",
        "front matter is longer than",
    ),
    (
        "nested flow yaml within the size limit",
        "---\ntitle: " + "[" * 5_000 + "\n---\n" + BODY,
        "c.md:2",
        "nested too deeply",
    ),
    (
        "deeply nested block yaml",
        "---\n" + "".join(" " * i + f"k{i}:\n" for i in range(60)) + "---\n" + BODY,
        "c.md:",
        "nested too deeply",
    ),
    ("yaml alias bomb", BILLION_LAUGHS, "c.md:2", "anchors or aliases"),
    (
        "python object tag",
        f"---\ntitle: !!python/object/apply:os.system ['touch {PWNED}']\n---\n" + BODY,
        "c.md:2",
        "YAML tag",
    ),
    ("explicit str tag", "---\ntitle: !!str Hello\n---\n" + BODY, "c.md:2", "YAML tag"),
    (
        "long front matter",
        "---\n" + "title: x\n" * 150 + "---\n" + BODY,
        "c.md:2",
        "front matter is longer than 100 lines",
    ),
    (
        "too many sections",
        "# T\n\n" + "".join(f"## H{i}\nText {i}.\n" for i in range(MAX_SECTIONS_PER_REPORT + 1)),
        f"c.md:{3 + 2 * MAX_SECTIONS_PER_REPORT}",
        "too many sections",
    ),
]


@pytest.mark.parametrize(
    ("report", "where", "reason"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_report_exits_2_naming_file_and_line_and_writes_nothing(
    make_content: Callable[..., Path],
    run_cli: Callable[..., Result],
    data_dir: Path,
    report: str | bytes,
    where: str,
    reason: str,
) -> None:
    assert run_cli("ingest", "--content", str(make_content(GOOD))).exit_code == 0
    before = (data_dir / "corpus.json").read_bytes()
    started = time.monotonic()
    result = run_cli("ingest", "--content", str(make_content({**GOOD, "c.md": report})))
    elapsed = time.monotonic() - started
    _assert_error(result, where, reason)
    assert (data_dir / "corpus.json").read_bytes() == before
    assert not PWNED.exists()
    # Not a timing test (that is bench/): a minute means a hang, not a slow machine.
    assert elapsed < 60


def test_one_hundred_thousand_headings_are_refused_before_parsing(
    make_content: Callable[..., Path],
) -> None:
    report = "# T\n" + "".join(f"## h{i}\nx\n" for i in range(100_000))
    started = time.monotonic()
    with pytest.raises(Exception, match="too many sections"):
        build_corpus(make_content({**GOOD, "c.md": report}))
    assert time.monotonic() - started < 30


def test_too_many_reports_are_refused(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    reports: dict[str, str | bytes] = {f"r{n:04d}.md": BODY for n in range(MAX_REPORTS + 1)}
    result = run_cli("ingest", "--content", str(make_content(reports)))
    _assert_error(result, "sources", f"too many reports ({MAX_REPORTS + 1}; the limit is")


def test_symlink_leaving_content_is_refused_and_never_quoted(
    make_content: Callable[..., Path], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    secret = tmp_path / "outside" / "secret.md"
    secret.parent.mkdir()
    secret.write_text("# Secret\n\n## Quantum\nThe launch code for qubits is 0000.\n")
    content = make_content(GOOD)
    (content / "sources" / "s.md").symlink_to(secret)
    result = run_cli("ingest", "--content", str(content))
    _assert_error(result, "s.md", "symlink leaves content/")
    asked = run_cli("ask", "--json", "--content", str(content), "what about qubits?")
    assert "launch code" not in asked.output
    assert "symlink leaves content/" in asked.stderr


def test_symlinked_folder_leaving_content_is_refused(
    make_content: Callable[..., Path], run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "x.md").write_text(REPORT_B)
    content = make_content(GOOD)
    (content / "sources" / "more").symlink_to(outside, target_is_directory=True)
    _assert_error(run_cli("ingest", "--content", str(content)), "more", "symlink leaves content/")


def test_configmap_style_links_inside_content_are_followed(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    # Kubernetes mounts a ConfigMap as links: a.md -> ..data/a.md, ..data -> ..2026_01_01/.
    content = make_content({})
    sources = content / "sources"
    stamped = sources / "..2026_01_01_00_00_00.1"
    stamped.mkdir()
    for name, text in GOOD.items():
        (stamped / name).write_text(str(text))
    (sources / "..data").symlink_to(stamped.name, target_is_directory=True)
    for name in GOOD:
        (sources / name).symlink_to(f"..data/{name}")
    result = run_cli("ingest", "--content", str(content))
    assert result.exit_code == 0, result.stderr
    assert "2 reports" in result.output


def test_symlink_loop_is_refused(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    content = make_content(GOOD)
    os.symlink("loop2.md", content / "sources" / "loop1.md")
    os.symlink("loop1.md", content / "sources" / "loop2.md")
    _assert_error(run_cli("ingest", "--content", str(content)), "loop1.md", "symlink")


def test_control_characters_in_a_file_name_are_refused(
    make_content: Callable[..., Path], run_cli: Callable[..., Result]
) -> None:
    result = run_cli("ingest", "--content", str(make_content({**GOOD, "x\x1b[2J.md": BODY})))
    _assert_error(result, "x\\x1b[2J.md", "file name holds control characters")
    assert "\x1b" not in result.stderr


ESCAPED_REPORT = (
    "# Report: Quantum \x1b[2J\x1b]0;pwned\x07Watch (2025)\n\n"
    "## Quantum \u202eLLMs\u202c\x07\n"
    "Quantum annealing\x1b[31m cuts training cost\x1b[0m by up to 40%.\x1bc IBM\x9b1m invests\x08"
    " heavily\x7f in qubits.\n"
)
CONTROLS = ["\x1b", "\x07", "\x08", "\x7f", "\x9b", "\u202e", "\u202c"]


@pytest.mark.parametrize("as_json", [True, False], ids=["json", "text"])
def test_terminal_escapes_and_bidi_overrides_never_reach_ask_output(
    make_content: Callable[..., Path], run_cli: Callable[..., Result], as_json: bool
) -> None:
    content = make_content({"a.md": ESCAPED_REPORT, "b.md": REPORT_B})
    assert run_cli("ingest", "--content", str(content)).exit_code == 0
    args = ["ask", *(["--json"] if as_json else []), "--content", str(content)]
    result = run_cli(*args, "tell me about quantum")
    assert result.exit_code == 0, result.stderr
    assert "cuts training cost by up to 40%" in result.output
    assert not [c for c in CONTROLS if c in result.output]
    if as_json:
        answer = json.loads(result.output)
        assert not [c for c in CONTROLS if c in json.dumps(answer, ensure_ascii=False)]


def test_control_characters_are_stripped_from_the_compiled_corpus(
    make_content: Callable[..., Path],
) -> None:
    corpus = build_corpus(make_content({"a.md": ESCAPED_REPORT, "b.md": REPORT_B})).corpus
    text = corpus.model_dump_json()
    assert not [c for c in CONTROLS if c in json.loads(json.dumps(text))]
    titles = {s.source_id: s.title for s in corpus.sources}
    assert titles["a"] == "Quantum Watch (2025)"
    assert REPORT_A  # the unescaped twin stays importable for readers of this file


def test_control_characters_in_topic_names_are_stripped(make_content: Callable[..., Path]) -> None:
    from .conftest import MINI_TOPICS

    topics = MINI_TOPICS.replace('name = "Regulation"', 'name = "Regu\\u001b[2Jlation\\u202e"')
    corpus = build_corpus(make_content(GOOD, topics)).corpus
    assert {t.id: t.name for t in corpus.topics}["regulation"] == "Regulation"
