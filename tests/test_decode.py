"""Encodings users' files arrive in."""

from __future__ import annotations

import codecs

import pytest

from tests.conftest import PAGES
from tilflytting.ingest.decode import DecodeError, decode, split_lines
from tilflytting.ingest.page import parse_page

TEXT = (PAGES / "bokmal-complete.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.replace("\n", "\r\n").encode("utf-8"), "utf-8"),
        (TEXT.replace("•", "-").replace("–", "-").encode("latin-1"), "latin-1"),
        (TEXT.encode("cp1252"), "windows-1252"),
        (TEXT.encode("utf-16"), "utf-16"),
    ],
)
def test_each_encoding_reads_the_same_page(data: bytes, encoding: str) -> None:
    decoded = decode(data)
    assert decoded.encoding == encoding
    entry = parse_page(decoded.text)
    assert entry.title == "Tilflyttingsarbeid i Tynset"
    assert [i.text for i in entry.lists["salgsargumenter"]] == ["Friluftsliv", "Godt oppvekstmiljø"]


def test_crlf_keeps_line_numbers() -> None:
    crlf = decode(TEXT.replace("\n", "\r\n").encode("utf-8")).text
    assert split_lines(crlf) == split_lines(TEXT)


def test_binary_data_is_refused() -> None:
    with pytest.raises(DecodeError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_bytes_that_fit_no_encoding_are_refused() -> None:
    with pytest.raises(DecodeError, match="neither UTF-8 nor Windows-1252"):
        decode(b"Tittel\n" + b"\x81\x8d\xff")
