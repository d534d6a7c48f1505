"""Safe names: what a slug must be to name a file on any system.

One rule, used where a slug is made or read (import: `ingest/normalise.py`
makes a title's slug with `safe_name`, `ingest/yaml_entry.py` refuses a
stated slug that breaks it) and where a file is named after one (export:
`report/files.py`). The rule, as `docs/reliability.md` states it:

- lowercase ASCII letters `a-z`, digits and hyphens only, so no `/`, `\\`,
  `..`, leading dot, space, control character or letter whose case a file
  system may fold;
- begins and ends with a letter or digit, at most 100 characters (file
  names are limited to 255 bytes, and a catalog address to far fewer);
- not a name Windows keeps for a device (`con`, `prn`, `aux`, `nul`,
  `com1`-`com9`, `lpt1`-`lpt9`), whatever follows the dot.

Two slugs that follow it and differ name different files everywhere: the
names are already in one case.
"""

from __future__ import annotations

import re

from tilflytting.core.fold import slugify
from tilflytting.core.i18n import N_

MAX_LENGTH = 100
FALLBACK = "oppforing"  # a title with no letter or digit
_SAFE = re.compile(r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?")
RESERVED = frozenset(
    {"con", "prn", "aux", "nul"}
    | {f"com{n}" for n in range(1, 10)}
    | {f"lpt{n}" for n in range(1, 10)}
)


def name_problem(slug: str) -> str | None:
    """Why `slug` cannot name a file (an English template, N_), or None."""
    if not slug:
        return N_("it is empty")
    if len(slug) > MAX_LENGTH:
        return N_("it is longer than {max} characters").format(max=MAX_LENGTH)
    if not _SAFE.fullmatch(slug):
        return N_(
            "only lowercase letters a-z, digits and hyphens are allowed, "
            "beginning and ending with a letter or digit"
        )
    if slug in RESERVED:
        return N_("'{slug}' is a device name on Windows").format(slug=slug)
    return None


def safe_name(text: str) -> str:
    """A name that follows the rule, made from any text (a title, or a slug
    that breaks it): folded as a slug, cut at a hyphen to the longest
    allowed, a device name given `-1`, an empty one `oppforing`. A name
    that follows the rule is its own safe name."""
    if name_problem(text) is None:
        return text
    name = slugify(text)
    if len(name) > MAX_LENGTH:
        cut = name[: MAX_LENGTH + 1]
        name = cut[: cut.rfind("-")] if "-" in cut[1:] else name[:MAX_LENGTH]
        name = name.strip("-")
    if not name:
        return FALLBACK
    if name in RESERVED:
        return f"{name}-1"
    return name
