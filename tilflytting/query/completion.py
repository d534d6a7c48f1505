"""What tab completion offers for each kind of value a user types.

Values come from the catalog (entries), the vocabulary (terms) and the
reference tables (counties, municipalities, regions), and are matched the
way the commands read them: without regard to case or to æ/ø/å (`holtalen`
is Holtålen). What a user has begun is continued in the user's own
spelling where the value allows: `barn` offers `barnefamilier`, `sor`
offers `sor-trondelag`, `Sør` offers `Sør-Trøndelag`; the commands take
every such spelling. So shells that keep only the offers that begin with
what was typed (zsh by default) still have one in each spelling.

Beside the values that begin with what was typed come those that have it
elsewhere, as `show` finds entries (`holt` offers
`tilflyttingstiltak-i-holtalen`: its municipality is Holtålen), from three
letters on, or sooner where nothing begins with it.

The shell's side (quoting, how each shell shows offers) is cli/completion.py.
This module is imported only when a shell asks (start-up of every command
stays as it was).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import NamedTuple

from tilflytting.core.fold import fold, key

# Offers of entries at most (100,000 entries may begin with `t`). Shells show
# at most a screenful usefully; bash asks before listing more than 100.
ENTRY_LIMIT = 100
# Matches inside a value (not at its start) are offered from this many
# letters on, as `show` looks inside titles from three letters on.
INSIDE_FROM = 3
# `summarise --by` and `export --by`: what query/reports.py (GROUPINGS) and
# report/export.py take; a test runs each.
BY_SUMMARY = ("fylke", "fylke2024", "fylke2012", "region")
BY_EXPORT = ("fylke", "fylke2024", "fylke2012")
# `--list`: the four survey lists, as written (`malgrupper` is offered to
# whoever types it without å).
LIST_NAMES = ("aktiviteter", "salgsargumenter", "samarbeidspartnere", "målgrupper")
# The facet options' lists (core.model.LISTS).
TERM_LISTS = ("aktiviteter", "salgsargumenter", "samarbeidspartnere", "malgrupper")
_WORD = re.compile(r"[a-z0-9]+")


class Offer(NamedTuple):
    """One value to offer, with a short description where shells show one
    (zsh, fish): data, never a message (the title of an entry, a number)."""

    value: str
    help: str | None = None


class Form(NamedTuple):
    """A way of writing a value: `text` is offered when it begins with what
    was typed; `value` when the typed text begins one of its words."""

    text: str
    help: str | None
    value: str


def offers(
    kind: str, typed: str, db: Path | None = None, given: Collection[str] = ()
) -> list[Offer]:
    """What to offer for `typed`, a value of `kind`: `entry` (read from the
    catalog at `db`), a list of terms (`malgrupper`, ...), `fylke`,
    `kommune`, `region`, `liste`, `by` or `by-export`. `given`: entries
    already named on the line, not offered again."""
    if kind == "entry":
        return entries(db, typed, given) if db is not None else []
    if kind in TERM_LISTS:
        return matching(term_forms(kind), typed)
    forms: dict[str, Callable[[str], list[Form]]] = {
        "fylke": county_forms,
        "kommune": municipality_forms,
        "region": lambda _typed: region_forms(),
        "liste": lambda _typed: [Form(name, None, name) for name in LIST_NAMES],
        "by": lambda _typed: [Form(name, None, name) for name in BY_SUMMARY],
        "by-export": lambda _typed: [Form(name, None, name) for name in BY_EXPORT],
    }
    return matching(forms[kind](typed), typed)


# -- matching ----------------------------------------------------------------------
def matching(forms: Iterable[Form], typed: str) -> list[Offer]:
    """The forms `typed` begins, continued in the typed spelling (or, where
    none can be, as written); then the values one of whose words it begins
    (described by the form that matched); each value once."""
    wanted = fold(typed)
    word = key(typed)
    begin: list[Offer] = []
    loose: list[Offer] = []
    inside: list[Offer] = []
    for form in forms:
        if fold(form.text).startswith(wanted):
            shown = continued(form.text, typed)
            if shown is None:
                loose.append(Offer(form.text, form.help))
            else:
                begin.append(Offer(shown, form.help))
        elif word and any(w.startswith(word) for w in _WORD.findall(fold(form.text))):
            inside.append(Offer(form.value, form.help if form.value == form.text else form.text))
    begin = begin or loose
    if len(word) < INSIDE_FROM and begin:
        inside = []
    return unique(begin + inside)


def continued(text: str, typed: str) -> str | None:
    """`text`, which begins with `typed` but for case and æ/ø/å, as the
    continuation of what was typed: as written where it begins with it;
    lowercase after a lowercase beginning (`sør` → `sør-trøndelag`), else
    in the typed case (`Barn` → `Barnefamilier`); without æ/ø/å after a
    beginning without them (`sor` → `sor-trondelag`). None where it cannot
    continue it (`Høy` and the slug `hoyt-utdannet-arbeidskraft`)."""
    head = text[: len(typed)]
    if head == typed:
        return text
    if head.lower() == typed.lower():
        return text.lower() if typed.islower() else typed + text[len(typed) :]
    folded = fold(text)
    if typed.isascii() and folded.startswith(typed.lower()):
        return folded if typed.islower() else typed + folded[len(typed) :]
    return None


def unique(offers: Iterable[Offer]) -> list[Offer]:
    seen: set[str] = set()
    result = []
    for offer in offers:
        if offer.value not in seen:
            seen.add(offer.value)
            result.append(offer)
    return result


# -- entries -----------------------------------------------------------------------
def entries(db: Path, typed: str, given: Collection[str] = ()) -> list[Offer]:
    """Slugs of the catalog's entries: those that begin with `typed` (folded),
    then those whose title or municipality `typed` names as `show` reads it
    (its beginning; a municipality number; from three letters on, anywhere
    in the slug or title). At most ENTRY_LIMIT. Nothing where `db` holds no
    catalog that can be read; never an error."""
    from tilflytting.store import completion as store

    conn = store.open_readonly(db)
    if conn is None:
        return []
    skip = {text.strip().lower() for text in given}
    prefix = fold(typed.strip())
    word = key(typed)
    found: list[Offer] = []
    try:
        first, last = store.slugs_from(conn, prefix, ENTRY_LIMIT)
        found = [Offer(slug, title) for slug, title in first]
        if last is not None:
            found[-1] = Offer(*last)  # the last of all: see store.slugs_from
        # Then what names them otherwise, while there is room: from three
        # letters on, or sooner where no slug begins with what was typed.
        if word and len(found) < ENTRY_LIMIT and (len(word) >= INSIDE_FROM or not found):
            number = word if word.isdigit() else None
            found += [Offer(*row) for row in store.entries_named(conn, word, number, ENTRY_LIMIT)]
        if len(word) >= INSIDE_FROM and len(unique(found)) < ENTRY_LIMIT:
            found += [Offer(*row) for row in store.entries_containing(conn, word, ENTRY_LIMIT)]
    except sqlite3.Error:
        pass  # no catalog (another file, another schema): what was found so far
    finally:
        conn.close()
    return unique(o for o in found if o.value not in skip)[:ENTRY_LIMIT]


# -- the vocabulary and the reference tables ---------------------------------------
def term_forms(liste: str) -> list[Form]:
    """Each term of `liste`: its slug (described by its label), its label and
    its nynorsk label."""
    from tilflytting.reference.vocabulary import vocabulary

    forms = []
    for term in vocabulary().terms[liste].values():
        forms.append(Form(term.slug, term.label, term.slug))
        for label in (term.label, term.nynorsk):
            if label:
                forms.append(Form(label, term.slug, term.slug))
    return forms


def county_forms(typed: str) -> list[Form]:
    """Counties of every era by name (described by their numbers); by
    number where a number is typed."""
    from tilflytting.reference.places import reference

    numbers: dict[str, list[str]] = {}
    for fylke in reference().fylker:
        numbers.setdefault(fylke.name, []).append(fylke.nr)
    if typed.strip().isdigit():
        return [Form(nr, name, nr) for name, nrs in numbers.items() for nr in nrs if nr]
    return [
        Form(name, ", ".join(n for n in nrs if n) or None, name) for name, nrs in numbers.items()
    ]


def municipality_forms(typed: str) -> list[Form]:
    """Municipalities old and new by name, namesakes with their county
    (`Herøy i Nordland`: the commands also take `Herøy (Nordland)`, but bash
    ends a word being completed at a bracket), described by their numbers;
    by number (any era) where a number is typed."""
    from tilflytting.reference.places import reference

    kommuner = reference().kommuner
    if typed.strip().isdigit():
        by_number: dict[str, str] = {}
        for k in kommuner:
            for nr in (k.nr_2012, k.nr_2020, k.nr_2024):
                if nr:
                    by_number.setdefault(nr, k.name)
        return [Form(nr, name, nr) for nr, name in sorted(by_number.items())]
    count: dict[str, int] = {}
    for k in kommuner:
        count[key(k.name)] = count.get(key(k.name), 0) + 1
    forms = []
    for k in kommuner:
        name = k.name
        if count[key(name)] > 1:
            name = f"{name} i {k.fylke_2012 or k.fylke_2024 or k.fylke_2020}"
        numbers = ", ".join(dict.fromkeys(n for n in (k.nr_2012, k.nr_2024) if n))
        forms.append(Form(name, numbers or None, name))
    return forms


def region_forms() -> list[Form]:
    """Regions by name, and by alias (described by the region's name)."""
    from tilflytting.reference.places import reference

    ref = reference()
    forms = []
    for region in ref.regions.values():
        forms.append(Form(region.name, None, region.name))
        forms += [Form(alias, region.name, alias) for alias in region.aliases]
    forms += [Form(alias, name, alias) for alias, name in ref.extra_aliases.items()]
    return forms
