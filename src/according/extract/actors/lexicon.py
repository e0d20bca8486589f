"""The actor lexicon: names of countries, places and organizations, and the words that give a sector.

Country names and codes come from pycountry; the data files in ``according/lexicons/`` add what it
lacks: short names and aliases (``actor_country_aliases.tsv``), adjectives and demonyms
(``actor_demonyms.tsv``), capitals and unambiguous cities (``actor_places.tsv``), organizations
(``actor_organizations.tsv``), the head nouns and titles that give a sector (``actor_sectors.tsv``) and
the heads that name a party by its relation to another ("Russia's allies": ``actor_counterpart_heads.txt``).
Beneath them lie the PETRARCH2 dictionaries, converted by ``lexicons/build_petrarch.py``
(``actor_petrarch.tsv``: country names and cities, institutions, armed groups, international bodies
and tens of thousands of officeholders with the dates of their roles; ``actor_petrarch_agents.tsv``:
role nouns and their sectors); the hand-made files take precedence over them.

Users add entries (organizations, people, places) with ``ActorLexicon.load(extra=[path])``: a TSV with the organization columns
``name<TAB>country<TAB>sector<TAB>kind`` (kind: country | organization | person | group | capital | city);
their rows take precedence over the packaged ones.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Iterator, Mapping, Optional, Sequence

import pycountry

from ..lexicon_files import LexiconError, packaged_lines, packaged_words, read_tsv

MAX_NAME_TOKENS = 12
PETRARCH_NAMES = "actor_petrarch.tsv"
PETRARCH_AGENTS = "actor_petrarch_agents.tsv"
_RUNS = re.compile(r"[^\W\d_]+|\d+| |.")


@dataclass(frozen=True, slots=True)
class Role:
    """One role a name held: country, sector and, for an officeholder, the dates (YYYYMMDD, inclusive)."""

    country: Optional[str]
    sector: Optional[str]
    start: Optional[str] = None
    end: Optional[str] = None

    @property
    def dated(self) -> bool:
        return self.start is not None or self.end is not None

    def covers(self, day: str) -> bool:
        return (self.start or "") <= day <= (self.end or "99999999")


@dataclass(frozen=True, slots=True)
class NameEntry:
    """What a name tells about an actor. ``roles`` holds an officeholder's roles by period, as written in
    ``actor_petrarch.tsv`` (read only when the name is met); ``country`` and ``sector`` are then those of
    the latest role, and ``on(day)`` gives the entry as it stood that day."""

    name: str
    country: Optional[str]
    sector: Optional[str]
    kind: str  # country | demonym | capital | city | organization | person | group
    roles: str = ""

    def on(self, day: Optional[str]) -> "NameEntry":
        """The entry on ``day`` (YYYY-MM-DD); without a day, or without dated roles, the entry itself."""
        if not self.roles or not day:
            return self
        role = role_on(parse_roles(self.roles), day.replace("-", "")[:8])
        if role.country == self.country and role.sector == self.sector:
            return self
        return NameEntry(self.name, role.country, role.sector, self.kind, self.roles)


def parse_roles(cell: str, origin: str = "roles") -> tuple[Role, ...]:
    """``DEU GOV 20051122;DEU ELI 19720101 20000101`` -> Roles (``-`` for none or an open end)."""
    roles = []
    for part in cell.split(";"):
        fields = [None if f == "-" else f for f in part.split()]
        if not 1 <= len(fields) <= 4:
            raise LexiconError(f"{origin}: role {part!r} is not 'COUNTRY SECTOR [FROM [TO]]'")
        fields += [None] * (4 - len(fields))
        roles.append(Role(*fields))
    return tuple(roles)


def role_on(roles: Sequence[Role], day: str) -> Role:
    """The role that covers ``day`` (the latest-starting one when several do); else the undated default;
    else the country of the nearest role, as a former officeholder (ELI) after it or with no sector before."""
    covering = [r for r in roles if r.dated and r.covers(day)]
    if covering:
        chosen = max(covering, key=lambda r: r.start or "")
    else:
        default = next((r for r in roles if not r.dated), None)
        if default is not None:
            chosen = default
        else:
            past = [r for r in roles if (r.end or "99999999") < day]
            if past:
                chosen = Role(max(past, key=lambda r: r.end or "").country, "ELI")
            else:
                chosen = Role(min(roles, key=lambda r: r.start or "").country, None)
    return _with_country(chosen, roles)


def _with_country(role: Role, roles: Sequence[Role]) -> Role:
    """A role without a country ("[ELI]") takes the country of the others when they agree on one."""
    if role.country is not None:
        return role
    countries = {r.country for r in roles if r.country}
    return Role(countries.pop(), role.sector, role.start, role.end) if len(countries) == 1 else role


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


def petrarch_entries(lines: Iterable[str], origin: str = PETRARCH_NAMES) -> Iterator[tuple[str, NameEntry]]:
    """Rows ``names<TAB>kind<TAB>country<TAB>sector<TAB>roles`` of the PETRARCH2-derived file (see
    build_petrarch.py): country and sector of the latest role, and an officeholder's dated roles."""
    for number, line in enumerate(lines, 1):  # a plain split: this file is large and machine-written
        if not line or line[0] == "#":
            continue
        cells = line.split("\t")
        if not 2 <= len(cells) <= 5:
            raise LexiconError(f"{origin}:{number}: expected 2 to 5 tab-separated columns")
        names, kind, country, sector, roles = cells + [""] * (5 - len(cells))
        forms = names.split("|")
        canonical = forms[0]
        entry = NameEntry(canonical, country or None, sector or None, kind or "organization", roles)
        for form in forms:
            yield form, (NameEntry(form, entry.country, entry.sector, kind, roles) if kind == "city" else entry)


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
    prefixes: frozenset[str]  # beginnings of names at token ends, to stop growing a candidate early
    relations: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))  # "backed" -> patron
    counterparts: frozenset[str] = frozenset()  # "ally", "partner": heads that name another party than their possessor
    # sector_of's answers by word: the resolver asks about the same few hundred words tens of thousands
    # of times an article batch (a cache of a pure function of the frozen tables above)
    _sector_memo: dict[str, Optional[SectorEntry]] = field(default_factory=dict, init=False, compare=False, repr=False)

    @classmethod
    def load(cls, extra: Sequence[str | Path] = ()) -> "ActorLexicon":
        """Read the packaged data files, then each user TSV in ``extra`` (same columns as the organizations)."""
        names: dict[str, NameEntry] = {}
        acronyms: dict[str, NameEntry] = {}
        sources: list[Iterable[tuple[str, NameEntry]]] = [
            petrarch_entries(packaged_lines(PETRARCH_NAMES)),
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
            name_key(word): SectorEntry(sector, "head")
            for word, sector in read_tsv(packaged_lines(PETRARCH_AGENTS), 2, PETRARCH_AGENTS)
        }
        chosen = {
            name_key(word): SectorEntry(sector, role or "head")
            for word, sector, role in read_tsv(packaged_lines("actor_sectors.tsv"), 3, "actor_sectors.tsv")
        }
        for key in chosen:  # a hand-made row decides the plural too ("buddhists")
            sectors.pop(key + "s", None)
        sectors.update(chosen)
        keys = [*names, *(k.lower() for k in acronyms)]
        first_words = frozenset(_first_words(keys))
        prefixes = frozenset(prefix for key in keys for prefix in _token_prefixes(key))
        relations = {word.lower(): relation for word, relation in
                     read_tsv(packaged_lines("actor_relations.tsv"), 2, "actor_relations.tsv")}
        counterparts = frozenset(word.lower() for word in packaged_words("actor_counterpart_heads.txt"))
        return cls(MappingProxyType(names), MappingProxyType(acronyms), first_words, MappingProxyType(sectors),
                   MappingProxyType(_near_misses(names)), prefixes, MappingProxyType(relations), counterparts)

    def could_start(self, text: str) -> bool:
        """Whether some known name begins with this text."""
        return name_key(text) in self.prefixes

    def lookup_misspelled(self, text: str) -> Optional[NameEntry]:
        """A country or demonym written with one letter dropped, added or swapped ("Ethopia", "Isreal")."""
        key = name_key(text)
        if len(key) < 6 or " " in key or key in self.names:
            return None
        entry = self.near_misses.get(key)  # a letter dropped or two swapped
        if entry is not None:
            return entry
        for variant in _deletions(key, swaps=False):  # a letter added
            entry = self.names.get(variant)
            if entry is not None and entry.kind in SLIP_KINDS:
                return entry
        return None  # not two slips at once: "Atarib" is no "Qatari" (one letter dropped, another added)

    def lookup(self, text: str) -> Optional[NameEntry]:
        """The entry for a name as written, or None. Lower-case words never match a name ("us", "chad");
        a name may begin with a lower-case particle when a capital follows ("al-Qaida", "bin Laden")."""
        if not text or not (text[0].isupper() or text[0].isdigit() or (" " in text or "-" in text) and not text.islower()):
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
        memo = self._sector_memo
        if word in memo:
            return memo[word]
        entry = memo[word] = self._sector_of(word)
        return entry

    def _sector_of(self, word: str) -> Optional[SectorEntry]:
        key = name_key(word)
        entry = self.sectors.get(key)
        if entry is None and key.endswith("s") and len(key) > 3:
            entry = self.sectors.get(key[:-1])
        return entry


def _deletions(word: str, swaps: bool = True) -> Iterator[str]:
    """The word with one letter dropped, or two neighbours swapped; never the first letter dropped
    (a slip keeps a name's first letter, and without it "Qatari" and "Atarib" meet at "atari")."""
    for i in range(1, len(word)):
        yield word[:i] + word[i + 1:]
    for i in range(len(word) - 1 if swaps else 0):  # a swap of neighbours
        yield word[:i] + word[i + 1] + word[i] + word[i + 2:]


SLIP_KINDS = frozenset({"country", "demonym"})


def _near_misses(names: Mapping[str, NameEntry]) -> dict[str, NameEntry]:
    """Single-word country names and demonyms, and their one-letter deletions, for typo lookup.
    A variant two different countries share is dropped (no guessing between them)."""
    table: dict[str, Optional[NameEntry]] = {}
    for key, entry in names.items():
        if entry.kind not in SLIP_KINDS or " " in key or len(key) < 6:
            continue
        for variant in (key, *_deletions(key)):
            known = table.get(variant, entry)
            table[variant] = entry if known is not None and known.country == entry.country else None
    return {k: v for k, v in table.items() if v is not None}


def _token_prefixes(key: str) -> Iterator[str]:
    """The beginnings of a name at which a run of tokens can end: after every run of letters, of digits
    and every other character ("al-assad": "al", "al-", "al-assad"). Far fewer than every character
    prefix, so a lexicon of many names stays small; a one-run name ("merkel") needs none."""
    runs = _RUNS.findall(key)
    if len(runs) < 2:
        return
    prefix = ""
    for run in runs:
        prefix += run
        if run != " ":
            yield prefix


def _first_words(keys: Iterable[str]) -> Iterator[str]:
    """First tokens a name can start with (spaCy splits "Nagorno-Karabakh"; demonyms take a plural)."""
    for key in keys:
        first = key.split(" ")[0]
        yield first
        yield first + "s"
        if "-" in first:
            yield first.split("-")[0]


def _is_acronym(name: str) -> bool:
    if len(name) > 6 or " " in name:
        return False
    letters = [c for c in name if c.isalpha()]
    return bool(letters) and len(name) <= 6 and all(c.isupper() for c in letters) and " " not in name
