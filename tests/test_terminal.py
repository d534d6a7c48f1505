"""Hostile text never reaches the terminal: one sanitiser (core/fold.py
`strip_controls`) for every renderer and both importers.

Entry files may hold escape sequences (a clipboard write `ESC ] 52`, a new
window title, a screen clear), bidi controls (U+202E, U+061C), zero-width
and tag characters, line and paragraph separators. Imported, they are
removed with a warning; written into the database by another program, they
are removed again before anything is drawn: on a terminal (a pty) and in
pipes, by every command.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
import struct
import subprocess
import sys
import termios
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ROOT, Cli
from tilflytting.core.fold import strip_controls

# What a YAML entry can carry in double quotes: every class of the issue.
HOSTILE_YAML = (
    "Eget\\e]52;c;SGVsbG8=\\a nettsted\\e]0;tittel\\a \\e[2J\\e[Hrom \\x9b31m"
    " \\u202eevil\\u202c \\u061c\\u200b\\u200d\\u2060\\ufeff\\U000E0041\\U000E007F"
    " linje\\u2028avsnitt\\u2029slutt \\x07\\x08"
)
# The same, as text (written into the database by another program).
HOSTILE = (
    "Eget\x1b]52;c;SGVsbG8=\x07 nettsted\x1b]0;tittel\x07 \x1b[2J\x1b[Hrom \x9b31m"
    " \u202eevil\u202c \u061c\u200b\u200d\u2060\ufeff\U000e0041\U000e007f"
    " linje\u2028avsnitt\u2029slutt \x07\x08"
)
# None of these may reach a terminal.
FORBIDDEN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u2028\u2029\ufeff\U000e0000-\U000e007f]"
)
SGR = re.compile(r"\x1b\[[0-9;]*m")  # Rich's own colours on a terminal


def entry_yaml(title: str, text: str) -> str:
    return (
        f'tittel: "{title}"\ningress: "{text}"\ntekst: "{text}"\nkommuner: [Tynset]\n'
        f'prosjekter:\n- navn: "{text}"\n  fra: 2008\n  til: 2010\n'
        f'aktiviteter: ["{text}"]\nmalgrupper: ["{text}"]\n'
    )


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A catalog with the hostile text imported from a YAML entry, and the
    same text written straight into a second entry by another program."""
    db = tmp_path / "c.db"
    (tmp_path / "a.yaml").write_text(entry_yaml("Fiendtlig", HOSTILE_YAML), "utf-8")
    (tmp_path / "b.yaml").write_text(entry_yaml("Annen", "helt vanlig"), "utf-8")
    cli = Cli(db)
    result = cli("import", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"))
    assert result.exit_code == 0, result.stderr
    conn = sqlite3.connect(db)
    with conn:
        conn.execute(
            "UPDATE entries SET tittel = ?, ingress = ? WHERE slug = 'annen'", (HOSTILE,) * 2
        )
        conn.execute("UPDATE projects SET navn = ? WHERE pos = 0", (HOSTILE,))
        conn.execute("UPDATE items SET tekst = ?", (HOSTILE,))
    conn.close()
    return db


COMMANDS = [
    ["list"],
    ["show", "fiendtlig"],
    ["show", "annen", "--sources"],
    ["search", "nettsted"],
    ["search", "vanlig"],
    ["compare", "fiendtlig", "annen"],
    ["similar", "fiendtlig"],
    ["timeline"],
    ["summarise"],
    ["vocab", "--unmatched"],
    ["folketall", "fiendtlig"],
    ["folketall", "annen", "--sammenlign"],
]
FORMATS = ["markdown", "csv", "json", "yaml"]


def test_yaml_import_warns_and_stores_no_control_character(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(entry_yaml("Fiendtlig", HOSTILE_YAML), "utf-8")
    cli = Cli(tmp_path / "c.db")
    result = cli("import", str(tmp_path / "a.yaml"))
    assert result.exit_code == 0
    warned = [line for line in result.stderr.splitlines() if "control character" in line]
    assert len(warned) == 1 and "a.yaml:2: warning: removed " in warned[0], result.stderr
    stored = json.loads(cli("show", "fiendtlig", "--format", "json").stdout)
    texts = [stored["ingress"], stored["tekst"], stored["prosjekter"][0]["navn"]]
    texts += [item["tekst"] for item in stored["aktiviteter"]]
    assert all(not FORBIDDEN.search(text) for text in texts), texts
    assert stored["ingress"].startswith("Eget nettsted rom")  # the sequences went whole


@pytest.mark.parametrize("args", COMMANDS)
def test_no_hostile_character_in_a_pipe(hostile_db: Path, args: list[str]) -> None:
    result = Cli(hostile_db)(*args)
    assert result.exit_code == 0, result.stderr
    for stream in (result.stdout, result.stderr):
        assert not FORBIDDEN.search(stream), (args, FORBIDDEN.findall(stream))


@pytest.mark.parametrize("fmt", FORMATS)
def test_machine_formats_carry_no_raw_escape(hostile_db: Path, fmt: str) -> None:
    result = Cli(hostile_db)("show", "annen", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout


def on_a_terminal(db: Path, args: list[str]) -> str:
    """What a command writes to a real terminal (a pty of 80 columns)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TILFLYTTING_LANG": "en", "TERM": "xterm-256color"}
    env.pop("COLUMNS", None)
    env.pop("NO_COLOR", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tilflytting", *args, "--db", str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not data:
            break
        chunks.append(data)
    process.wait(timeout=120)  # a guard against a hang, not a timing
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="no pseudo-terminals here")
@pytest.mark.parametrize("args", [COMMANDS[0], COMMANDS[2], COMMANDS[5], COMMANDS[10]])
def test_no_hostile_sequence_on_a_terminal(hostile_db: Path, args: list[str]) -> None:
    shown = on_a_terminal(hostile_db, args)
    assert "Traceback" not in shown
    assert "\x1b[" in shown  # a terminal: Rich draws in colour
    plain = SGR.sub("", shown).replace("\r\n", "\n")
    assert not FORBIDDEN.search(plain), (args, FORBIDDEN.findall(plain))


# -- the sanitiser itself ---------------------------------------------------------------------
def test_the_sanitiser_removes_every_class_of_invisible_character() -> None:
    """Checked against Python's own Unicode tables: every control (Cc but
    tab and newline), format (Cf) and surrogate (Cs) character goes; line
    and paragraph separators (Zl, Zp) become newlines."""
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        cleaned, count = strip_controls(f"a{char}b")
        if char in "\t\n":
            assert cleaned == f"a{char}b", hex(code)
        elif category in ("Cc", "Cf", "Cs"):
            assert not FORBIDDEN.search(cleaned) and char not in cleaned, hex(code)
            assert count >= 1, hex(code)
        elif category in ("Zl", "Zp"):
            assert cleaned == "a\nb", hex(code)
        elif 0x2060 <= code <= 0x206F or 0xE0000 <= code <= 0xE007F:
            assert cleaned == "ab", hex(code)  # invisible operators, tags: whole blocks
        elif code < 0x10000:  # letters, marks, symbols, spaces: kept as they are
            assert cleaned == f"a{char}b", hex(code)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[31mrød\x1b[0m", "arød"),
        ("\x1b]0;tittel\x07x", "x"),
        ("\x1b]8;;https://evil.test\x1b\\lenke\x1b]8;;\x1b\\", "lenke"),
        ("\x1b]52;c;SGVsbG8=\x07ok", "ok"),
        ("\x1b[2J\x1b[Hx", "x"),
        ("\x9b31mx", "x"),
        ("\x1b(Bx", "x"),
        ("tom\x1b", "tom"),
    ],
)
def test_escape_sequences_go_whole(text: str, shown: str) -> None:
    assert strip_controls(text)[0] == shown


@given(st.text())
def test_fuzz_sanitised_text_has_nothing_forbidden(text: str) -> None:
    cleaned, count = strip_controls(text)
    assert not FORBIDDEN.search(cleaned)
    assert not re.search("[\ud800-\udfff]", cleaned)
    assert strip_controls(cleaned) == (cleaned, 0)  # once is enough
    assert (count == 0) == (cleaned == text)
