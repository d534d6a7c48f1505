"""Write a synthetic catalog of N pages in the published text format.

Deterministic from a seed, and varied like the real corpus: both written
standards, every heading variant, bullet styles, merged items, misspellings,
free answers, periods in all their forms, pages cut off, real municipalities.

Usage: python benchmarks/generate.py N OUT_DIR [--seed S]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from tilflytting.reference.places import reference
from tilflytting.reference.vocabulary import vocabulary

HEADINGS = {
    "aktiviteter": ["Aktiviteter", "Aktivitetar", "Aktiviteter i prosjektet"],
    "salgsargumenter": [
        "Viktigste salgsargument",
        "Viktigaste salsargument:",
        "Viktige salgsargument",
        "Viktigste salgsargumenter",
        "Viktigaste salgargument",
    ],
    "samarbeidspartnere": [
        "Samarbeidspartnere",
        "Samarbeidspartnarar",
        "Samarbeidspartnere:",
        "Samarbeidspartnerer",
    ],
    "malgrupper": ["Målgrupper", "Målgruppe"],
}
BULLETS = [" • ", "  • ", " •  "]
PERIODS = [
    "{a} – {b}",
    "{a}-{b}",
    "{a}- {b}",
    "{a}-{b2}",
    "({a}-)",
    "{a} – til d.d.",
    "{a} til {b}",
]
FREE = [
    "Fellesmiddag kvar måndag",
    "Bruk av sosiale medier",
    "Møter med næringslivet",
    "Velkomstpakke til nye innbyggere",
    "Fadderordning i grendene",
    "Jobbmesse i regionen",
]
# Free text draws words by Zipf's law (weight 1/rank), as real prose does: the
# top words are on nearly every page, "bolyst" (rank 49) on about one page in
# six, as on the real pages (7 of 43), and the tail is rare. The tail's
# made-up topic words stand in for the long tail of a real vocabulary.
WORDS = [
    "tilflytting",
    "kommune",
    "arbeid",
    "ungdom",
    "kultur",
    "næringsliv",
    "skule",
    "bustad",
    "trivsel",
    "omdømme",
    "rekruttering",
    "nettverk",
    "grendelag",
    "tomter",
    "dugnad",
    "fjord",
    "fjell",
    "hav",
    "gard",
    "vertskap",
    *(f"tema{n}" for n in range(28)),
    "bolyst",
    *(f"emne{n}" for n in range(151)),
]
WEIGHTS = [1 / rank for rank in range(1, len(WORDS) + 1)]
CLOSING = (
    "Tilflyttingsarbeid i norske distriktskommuner\n\n{t} er presentert med grunnleggende "
    "informasjon uten vurdering. Tiltaket inngår i «Katalog over tilflyttingsarbeid i "
    "distriktene»."
)


def page(n: int, rng: random.Random) -> str:
    kommune = rng.choice([k for k in reference().kommuner if k.nr_2012])
    title = (
        f"{rng.choice(['Bulyst', 'Tilflyttingstiltak', 'Flytt hit', 'Liv'])} {n} i {kommune.name}"
    )
    parts = [title, f"{kommune.name} kommune arbeider for flere innbyggere."]
    if rng.random() < 0.65:
        parts.insert(0, rng.choice(["Fagområde: Tilflytting", "Fagområde: Omdømme Tilflytting"]))
    words = rng.choices(WORDS, WEIGHTS, k=rng.randint(20, 80))
    parts.append(" ".join(words).capitalize() + ".")
    parts.append("\n".join(_project(rng, k) for k in range(rng.randint(0, 3))))
    for liste in rng.sample(list(HEADINGS), k=rng.randint(2, 4)):
        parts.append(rng.choice(HEADINGS[liste]) + "\n\n" + _items(liste, rng))
    parts.append(CLOSING.format(t=title))
    text = "\n\n".join(p for p in parts if p)
    if rng.random() < 0.1:
        text = text[: rng.randint(len(text) // 2, len(text))]  # cut off, as 17 real pages are
    return text + "\n"


def _project(rng: random.Random, k: int) -> str:
    start = rng.randint(1998, 2014)
    end = start + rng.randint(1, 8)
    period = rng.choice(PERIODS).format(a=start, b=end, b2=str(end)[-2:])
    return f" • Prosjekt {rng.choice(WORDS).capitalize()} {k}: {period}"


def _items(liste: str, rng: random.Random) -> str:
    terms = list(vocabulary().terms[liste].values())
    chosen = [rng.choice(t.forms) for t in rng.sample(terms, k=min(len(terms), rng.randint(2, 9)))]
    if rng.random() < 0.2 and len(chosen) > 1:
        chosen[0:2] = [f"{chosen[0]} {chosen[1]}"]  # two items run together
    if rng.random() < 0.3:
        chosen.append(rng.choice(FREE))
    bullet = rng.choice(BULLETS)
    return "\n".join(bullet + item for item in chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=2012)
    args = parser.parse_args()
    write(args.count, args.out, args.seed)


def write(count: int, out: Path, seed: int = 2012) -> None:
    rng = random.Random(seed)
    for n in range(count):
        folder = out / f"{n // 1000:03}"  # a thousand files a folder
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"side-{n:06}.txt").write_text(page(n, rng), encoding="utf-8")


if __name__ == "__main__":
    main()
