"""Lookup tables with labels, for people who browse the database (Datasette,
sqlite3): `terms` (the vocabulary: list, slug, bokmål and nynorsk label),
`kommuner` (every municipality number of 2012, 2020 and 2024, with names and
counties) and `fylker`. `items.term`, `places.nummer_2012`/`nummer_2024` and
`places.fylke_2012`/`fylke_2024` are foreign keys into them (m012), so
Datasette shows "Barnefamilier" and "Holtålen" where the rows hold
`barnefamilier` and `1644`.

They are derived from data/vocabulary.json, data/kommuner.csv and
data/fylker.csv: the store fills them again when those files change (their
digest is kept in `_meta`), at the start of a write transaction or an
upgrade. Rows are only added or relabelled, never taken away, so that the
foreign keys of stored rows always hold; a value the data uses that the
files do not know is kept with itself as its label.
"""

from __future__ import annotations

import csv
import hashlib
import sqlite3
from typing import Any

from tilflytting.reference.places import data_dir

# Raise when what goes into the tables changes (not the data files: those
# are compared by digest).
LOOKUP_VERSION = 1
SIGNATURE = "lookups"  # its name in `_meta`
FILES = ("vocabulary.json", "kommuner.csv", "fylker.csv")


def signature() -> str:
    """The version and the data files' digest the tables are made from."""
    digest = hashlib.sha256(str(LOOKUP_VERSION).encode())
    for name in FILES:
        digest.update((data_dir() / name).read_bytes())
    return digest.hexdigest()


def refresh_if_changed(conn: sqlite3.Connection) -> bool:
    """Fill the tables again if the data files changed since they were
    filled (inside the caller's transaction); whether they were."""
    wanted = signature()
    row = conn.execute("SELECT verdi FROM _meta WHERE navn = ?", (SIGNATURE,)).fetchone()
    if row is not None and row[0] == wanted:
        return False
    refresh(conn)
    conn.execute("INSERT OR REPLACE INTO _meta VALUES (?, ?)", (SIGNATURE, wanted))
    return True


def refresh(conn: sqlite3.Connection) -> None:
    import sqlite_utils

    db = sqlite_utils.Database(conn)
    db.table("terms").upsert_all(term_rows(), pk="slug")
    db.table("kommuner").upsert_all(kommune_rows(), pk="nummer")
    db.table("fylker").upsert_all(county_rows(), pk="navn")
    ensure_known(conn)


def ensure_known(conn: sqlite3.Connection) -> None:
    """Rows for every value the data uses that the tables lack (labelled
    with the value itself), so that the foreign keys hold."""
    conn.execute(
        "INSERT OR IGNORE INTO terms (slug, liste, etikett) "
        "SELECT term, min(liste), term FROM items WHERE term IS NOT NULL GROUP BY term"
    )
    for number, name in (("nummer_2012", "navn"), ("nummer_2024", "navn_2024")):
        conn.execute(
            f"INSERT OR IGNORE INTO kommuner (nummer, navn) SELECT {number}, "
            f"coalesce(min({name}), {number}) FROM places WHERE {number} IS NOT NULL GROUP BY 1"
        )
    conn.execute(
        "INSERT OR IGNORE INTO fylker (navn) SELECT fylke_2012 FROM places WHERE fylke_2012 "
        "IS NOT NULL UNION SELECT fylke_2024 FROM places WHERE fylke_2024 IS NOT NULL"
    )


def term_rows() -> list[dict[str, Any]]:
    from tilflytting.reference.vocabulary import vocabulary

    return [
        {"slug": t.slug, "liste": liste, "etikett": t.label, "nynorsk": t.nynorsk}
        for liste, terms in vocabulary().terms.items()
        for t in terms.values()
    ]


def kommune_rows() -> list[dict[str, Any]]:
    """One row per municipality number of any era, with the municipality's
    name in that era, its 2012 number and county and what it is part of in 2024."""
    from tilflytting.reference.places import reference

    ref = reference()
    rows: dict[str, dict[str, Any]] = {}
    for kommune in ref.kommuner:
        now = next(iter(ref.place(kommune)), None)
        eras = {"2012": kommune.nr_2012, "2020": kommune.nr_2020, "2024": kommune.nr_2024}
        for number in dict.fromkeys(n for n in eras.values() if n):
            rows[number] = {
                "nummer": number,
                "navn": kommune.name,
                "gyldig": ", ".join(era for era, n in eras.items() if n == number),
                "nummer_2012": kommune.nr_2012 or None,
                "fylke_2012": kommune.fylke_2012 or None,
                "nummer_2024": now.nr_2024 if now else None,
                "navn_2024": now.name_2024 if now else None,
                "fylke_2024": now.fylke_2024 if now else None,
            }
    return list(rows.values())


def county_rows() -> list[dict[str, Any]]:
    """One row per county name (Troms was a county before 2020 and is one
    again from 2024), with its number in 2012 and in 2024, and what it
    became if it is no county today."""
    rows: dict[str, dict[str, Any]] = {}
    with (data_dir() / "fylker.csv").open(encoding="utf-8") as handle:
        for line in csv.DictReader(handle):
            name = line.get("fylke") or line.get("name") or ""
            if not name:
                continue
            row = rows.setdefault(
                name, {"navn": name, "nummer_2012": None, "nummer_2024": None, "ble_til": None}
            )
            start, end = line.get("valid_from") or "", line.get("valid_to") or ""
            if start <= "2012-01-01" and (not end or end >= "2012-12-31"):
                row["nummer_2012"] = line.get("nr") or None
            if start <= "2024-01-01" and not end:
                row["nummer_2024"] = line.get("nr") or None
            elif end and line.get("became"):
                row["ble_til"] = line.get("became")
    for row in rows.values():
        if row["nummer_2024"]:
            row["ble_til"] = None  # a county again (Troms, Finnmark, Østfold, ...)
    return list(rows.values())
