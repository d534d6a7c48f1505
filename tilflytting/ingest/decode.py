"""Bytes to text: which encoding a user's file is in, and saying so.

The corpus is UTF-8, but pages saved on Windows arrive as UTF-8 with BOM,
Windows-1252 or Latin-1, often with CRLF line ends.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from tilflytting.core.i18n import N_


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


@dataclass
class Decoded:
    text: str  # line ends normalised to LF (`normalise_line_ends`)
    encoding: str


# Bytes 0x80-0x9F are printable in Windows-1252 but control codes in Latin-1,
# so text that uses them was written on Windows.
_C1_RANGE = bytes(range(0x80, 0xA0))


def decode(data: bytes) -> Decoded:
    """Decode `data`, trying UTF-8 (with or without BOM), UTF-16 with BOM,
    then Windows-1252 and Latin-1. CRLF and lone CR line ends become LF, so
    that no later step takes a CR for a control character."""
    decoded = _decode(data)
    decoded.text = normalise_line_ends(decoded.text)
    return decoded


def _decode(data: bytes) -> Decoded:
    if data.startswith(codecs.BOM_UTF8):
        return Decoded(_utf8(data[3:], "UTF-8 with BOM"), "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as exc:
            raise DecodeError(
                N_("not valid UTF-16 at byte {offset}").format(offset=exc.start)
            ) from exc
    if b"\x00" in data:
        if _looks_like_utf16(data):
            raise DecodeError(N_("UTF-16 without a byte-order mark; save the file as UTF-8"))
        raise DecodeError(N_("binary data (NUL bytes), not a text file"))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if any(byte in _C1_RANGE for byte in data):
        try:
            return Decoded(data.decode("cp1252"), "windows-1252")
        except UnicodeDecodeError as exc:
            raise DecodeError(
                N_("neither UTF-8 nor Windows-1252 (byte {byte} at offset {offset})").format(
                    byte=f"0x{data[exc.start]:02x}", offset=exc.start
                )
            ) from exc
    # Without 0x80-0x9F bytes Latin-1 and Windows-1252 read the same.
    return Decoded(data.decode("latin-1"), "latin-1")


def _looks_like_utf16(data: bytes) -> bool:
    """Text of Latin letters in UTF-16 has a NUL in every other byte."""
    sample = data[:2000]
    odd, even = sample[1::2], sample[0::2]
    return len(sample) >= 8 and (odd.count(0) > 0.9 * len(odd) or even.count(0) > 0.9 * len(even))


def _utf8(data: bytes, label: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DecodeError(
            N_("not valid {encoding} at byte {offset}").format(encoding=label, offset=exc.start + 3)
        ) from exc


def normalise_line_ends(text: str) -> str:
    """CRLF and a lone CR become LF: the line ends an editor counts, nothing else."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them: CRLF, CR and LF end a line, nothing else."""
    return normalise_line_ends(text).split("\n")
