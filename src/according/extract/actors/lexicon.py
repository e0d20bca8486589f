"""The actor lexicon: names of countries, places and organizations, and the words that give a sector.

Country names and codes come from pycountry; the data files in ``according/lexicons/`` add what it
lacks: short names and aliases (``actor_country_aliases.tsv``), adjectives and demonyms
(``actor_demonyms.tsv``), capitals and unambiguous cities (``actor_places.tsv``), organizations
(``actor_organizations.tsv``) and the head nouns and titles that give a sector (``actor_sectors.tsv``).

Users add entries (organizations, people, places) with ``ActorLexicon.load(extra=[path])``: a TSV with the organization columns
``name<TAB>country<TAB>sector<TAB>kind`` (kind: country | organization | person | group | capital | city);
their rows take precedence over the packaged ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping, Optional, Sequence

import pycountry

from ..lexicon_files import LexiconError, packaged_lines, read_tsv

MAX_NAME_TOKENS = 12


@dataclass(frozen=True, slots=True)
class NameEntry:
    """What a name tells about an actor."""

    name: str
    country: Optional[str]
    sector: Optional[str]
    kind: str  # country | demonym | capital | city | organization | person | group


@dataclass(frozen=True, slots=True)
class SectorEntry:
    sector: str
    role: str  # head | title | modifier


def name_key(text: str) -> str:
    """Lookup key of a name: lower case, one space between words, curly apostrophes made straight."""
    return " ".join(text.replace("\u2019", "'").lower().split())


def _country_entries() -> Iterator[tuple[str, NameEntry]]:
    for country in pycountry.countries:
        label = getattr(country, "common_name", None) or country.name  # refined by the aliases that follow
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                yield value, NameEntry(label, country.alpha_3, None, "country")


def _canonical(code: str, alias: str) -> str:
    """The everyday name: pycountry's common name, else its name unless that is formal
    ("Russian Federation", "Korea, Republic of"), else the first alias in the data file."""
    country = pycountry.countries.get(alpha_3=code)
    if country is None:
        return alias
    common = getattr(country, "common_name", None)
    if common:
        return common
    formal = "," in country.name or " of " in country.name or "Federation" in country.name
    return alias if formal else country.name


def _alias_entries() -> Iterator[tuple[str, NameEntry]]:
    first_alias: dict[str, str] = {}
    for name, code in read_tsv(packaged_lines("actor_country_aliases.tsv"), 2, "actor_country_aliases.tsv"):
        first_alias.setdefault(code, name)
        yield name, NameEntry(_canonical(code, first_alias[code]), code, None, "country")
    for name, code in read_tsv(packaged_lines("actor_demonyms.tsv"), 2, "actor_demonyms.tsv"):
        yield name, NameEntry(_canonical(code, first_alias.get(code, name)), code, None, "demonym")
    for name, code, kind in read_tsv(packaged_lines("actor_places.tsv"), 3, "actor_places.tsv"):
        yield name, NameEntry(name, code, None, kind or "city")


def organization_entries(lines: Iterable[str], origin: str) -> Iterator[tuple[str, NameEntry]]:
    for name, country, sector, kind in read_tsv(lines, 4, origin):
        if not name:
            raise LexiconError(f"{origin}: a row has no name")
        yield name, NameEntry(name, country or None, sector or None, kind or "organization")


@dataclass(frozen=True)
class ActorLexicon:
    """Names (case-insensitive, and case-sensitive for acronyms) and sector words, loaded once."""

    names: Mapping[str, NameEntry]
    acronyms: Mapping[str, NameEntry]  # all-caps names matched only in that case ("US" vs "us")
    first_words: frozenset[str]
    sectors: Mapping[str, SectorEntry]
    near_misses: Mapping[str, NameEntry]  # one-letter slips of country names and demonyms
    prefixes: frozenset[str]  # every beginning of every name, to stop growing a candidate early

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> "ActorLexicon":
        """Read the packaged data files, then each user TSV in ``extra`` (same columns as the organizations)."""
        names: dict[str, NameEntry] = {}
        acronyms: dict[str, NameEntry] = {}
        sources: list[Iterable[tuple[str, NameEntry]]] = [
            _country_entries(),
            _alias_entries(),
            organization_entries(packaged_lines("actor_organizations.tsv"), "actor_organizations.tsv"),
            organization_entries(packaged_lines("actor_people.tsv"), "actor_people.tsv"),
        ]
        for path in extra:
            try:
                lines = Path(path).read_text(encoding="utf-8").splitlines()
            except OSError as exc:
                raise LexiconError(f"cannot read actor lexicon {path}: {exc.strerror}") from exc
            sources.append(organization_entries(lines, str(path)))
        for entries in sources:
            for name, entry in entries:
                if _is_acronym(name):
                    acronyms[name.replace("\u2019", "'")] = entry
                else:
                    names[name_key(name)] = entry
        sectors = {
            name_key(word): SectorEntry(sector, role or "head")
            for word, sector, role in read_tsv(packaged_lines("actor_sectors.tsv"), 3, "actor_sectors.tsv")
        }
        first_words = frozenset(_first_words(list(names) + [k.lower() for k in acronyms]))
        prefixes = frozenset(key[:n] for key in [*names, *(k.lower() for k in acronyms)] for n in range(1, len(key) + 1))
        return cls(MappingProxyType(names), MappingProxyType(acronyms), first_words, MappingProxyType(sectors),
                   MappingProxyType(_near_misses(names)), prefixes)

    def could_start(self, text: str) -> bool:
        """Whether some known name begins with this text."""
        return name_key(text) in self.prefixes

    def lookup_misspelled(self, text: str) -> Optional[NameEntry]:
        """A country or demonym written with one letter dropped, added or swapped ("Ethopia", "Isreal")."""
        key = name_key(text)
        if len(key) < 6 or " " in key or key in self.names:
            return None
        for variant in (key, *_deletions(key)):
            entry = self.near_misses.get(variant)
            if entry is not None:
                return entry
        return None

    def lookup(self, text: str) -> Optional[NameEntry]:
        """The entry for a name as written, or None. Lower-case words never match a country name."""
        if not text or not (text[0].isupper() or text[0].isdigit()):
            return None
        straight = text.replace("\u2019", "'")
        if straight in self.acronyms:
            return self.acronyms[straight]
        if _is_acronym(straight):
            return None
        key = name_key(straight)
        entry = self.names.get(key)
        if entry is None and key.endswith("s") and len(key) > 3:
            singular = self.names.get(key[:-1])
            if singular is not None and singular.kind == "demonym":
                return singular
        return entry

    def sector_of(self, word: str) -> Optional[SectorEntry]:
        key = name_key(word)
        entry = self.sectors.get(key)
        if entry is None and key.endswith("s") and len(key) > 3:
            entry = self.sectors.get(key[:-1])
        return entry


def _deletions(word: str) -> Iterator[str]:
    for i in range(len(word)):
        yield word[:i] + word[i + 1:]
    for i in range(len(word) - 1):  # a swap of neighbours
        yield word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _near_misses(names: Mapping[str, NameEntry]) -> dict[str, NameEntry]:
    """Single-word country names and demonyms, and their one-letter deletions, for typo lookup.
    A variant two different countries share is dropped (no guessing between them)."""
    table: dict[str, Optional[NameEntry]] = {}
    for key, entry in names.items():
        if entry.kind not in ("country", "demonym") or " " in key or len(key) < 6:
            continue
        for variant in (key, *_deletions(key)):
            known = table.get(variant, entry)
            table[variant] = entry if known is not None and known.country == entry.country else None
    return {k: v for k, v in table.items() if v is not None}


def _first_words(keys: Iterable[str]) -> Iterator[str]:
    """First tokens a name can start with (spaCy splits "Nagorno-Karabakh"; demonyms take a plural)."""
    for key in keys:
        first = key.split(" ")[0]
        yield first
        yield first + "s"
        if "-" in first:
            yield first.split("-")[0]


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(name) <= 6 and all(c.isupper() for c in letters) and " " not in name
