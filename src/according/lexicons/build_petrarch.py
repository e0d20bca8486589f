"""Build the PETRARCH2-derived actor lexicons from the PETRARCH2 dictionaries (MIT licence).

    python -m according.lexicons.build_petrarch /path/to/petrarch2 [--out DIR]

Reads ``Phoenix.Countries.actors.txt``, ``Phoenix.International.actors.txt``,
``Phoenix.MilNonState.actors.txt`` and ``Phoenix.agents.txt`` (formats in PETRARCH2's
``dictionaries.rst``) and writes, next to this script unless ``--out`` says otherwise:

- ``actor_petrarch.tsv``: ``names<TAB>kind<TAB>country<TAB>sector<TAB>roles``, one row per dictionary
  record. ``names`` is the record's phrases joined by ``|``; ``kind`` is country | city | organization |
  person; country and sector are those of the latest role; ``roles``, only for an officeholder whose
  roles differ, is ``;``-separated ``COUNTRY SECTOR [FROM [TO]]`` (``-`` for none; dates YYYYMMDD).
- ``actor_petrarch_agents.tsv``: ``word<TAB>sector``: role nouns ("foreign minister", "rebels").

CAMEO codes become the project's form (docs/schema.md): an ISO 3166 alpha-3 country (CAMEO's KSV and
TMP become XKX and TLS; regions such as MEA or WEU become no country) and one sector, the first role
code after the country (INS and SEP read as REB; religion codes as REL). International bodies take UNO
(the UN system), EUR (the EU) or IGO in the country slot with sector IGO; transnational militant groups
(CAMEO's IMG) take IMG with sector REB; transnational NGOs (CAMEO's NGO head) IGO with sector NGO, as the
PLOVER records and the real-news guidelines code the Red Cross or Amnesty; companies (MNC) their country
and sector BUS. A phrase two records give different countries is left out (no guessing between them).
The output is deterministic: the same dictionaries give the same files byte for byte.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Optional

import pycountry
from spacy.lang.en.stop_words import STOP_WORDS

ACTOR_FILES = ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt", "Phoenix.MilNonState.actors.txt")
AGENTS_FILE = "Phoenix.agents.txt"
CAMEO_TO_ISO = {"KSV": "XKX", "TMP": "TLS"}
SECTOR_CODES = frozenset({
    "GOV", "MIL", "COP", "REB", "OPP", "PTY", "JUD", "LEG", "SPY", "MED", "BUS", "EDU", "HLH", "CVL", "ELI",
    "LAB", "AGR", "REF", "HRI", "DEV", "ENV", "NGO", "IGO", "UAF", "CRM", "REL", "PRM",
})
SECTOR_ALIASES = {"INS": "REB", "SEP": "REB", "NGM": "NGO"}
RELIGION_CODES = frozenset({"MUS", "CHR", "JEW", "HIN", "BUD", "SIK", "JAN", "ZRO", "BAH", "CTH", "ORT",
                            "PRO", "SUN", "SHI", "ALE", "DRZ", "ITH", "MOS", "REL"})
DATE = re.compile(r"^\d{6}(\d{2})?$")
CODE = re.compile(r"\[([^\]]*)\]")


@dataclass(frozen=True, slots=True)
class Role:
    country: Optional[str]
    sector: Optional[str]
    start: Optional[str] = None  # YYYYMMDD
    end: Optional[str] = None

    def cell(self) -> str:
        parts = [self.country or "-", self.sector or "-"]
        if self.start or self.end:
            parts.append(self.start or "-")
            if self.end:
                parts.append(self.end)
        return " ".join(parts)


@dataclass
class Record:
    names: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    source: str = ""
    country_block: bool = False
    countryinfo: bool = False  # marked "CountryInfo.txt" / "IGOrulers.txt": an officeholder
    dated: bool = False


def _iso(code: str) -> Optional[str]:
    code = CAMEO_TO_ISO.get(code, code)
    return code if pycountry.countries.get(alpha_3=code) is not None or code == "XKX" else None


def _sector(segments: list[str]) -> Optional[str]:
    for segment in segments:
        segment = SECTOR_ALIASES.get(segment, segment)
        if segment in SECTOR_CODES:
            return segment
        if segment in RELIGION_CODES:
            return "REL"
    return None


def convert(code: str) -> Optional[tuple[Optional[str], Optional[str]]]:
    """A CAMEO actor code as (country, sector); None for the null code or one that names nothing."""
    code = code.strip().upper()
    if not code or code.startswith("---"):
        return None
    segments = [code[i:i + 3] for i in range(0, len(code), 3)]
    head, rest = segments[0], segments[1:]
    if head == "IGO":
        place = rest[0] if rest else ""
        return ("UNO" if place == "UNO" else "EUR" if place == "EUR" else "IGO"), "IGO"
    if head == "IMG":
        return "IMG", "REB"
    if head in ("NGO", "NGM"):  # transnational NGOs (a domestic one is coded SYRNGO): an international body
        return "IGO", "NGO"
    if head == "MNC":
        country = _iso(rest[0]) if rest else None
        return country, "MED" if "MED" in rest else "BUS"
    country = _iso(head)
    if country is not None:
        return country, _sector(rest)
    sector = _sector(segments)
    return (None, sector) if sector else None


def _date(text: str) -> Optional[str]:
    text = text.strip()
    if not DATE.match(text):
        return None
    if len(text) == 6:  # YYMMDD: the dictionaries date from 2014, so 00-30 is this century
        text = ("20" if int(text[:2]) <= 30 else "19") + text
    return text


def parse_code(cell: str) -> Optional[Role]:
    """``DEUGOV >051122``, ``AFGELI 320101-331108``, ``USAGOV <450703``, ``SYRREB``, ``---``."""
    parts = cell.split(None, 1)
    if not parts:
        return None
    converted = convert(parts[0])
    if converted is None:
        return None
    start = end = None
    restriction = parts[1].replace(" ", "") if len(parts) > 1 else ""
    if restriction.startswith(">"):
        start = _date(restriction[1:])
    elif restriction.startswith("<"):
        end = _date(restriction[1:])
    elif "-" in restriction:
        low, _, high = restriction.partition("-")
        start, end = _date(low), _date(high)
    if restriction and start is None and end is None:
        return None  # a restriction we cannot read: better no role than a wrong one
    return Role(converted[0], converted[1], start, end)


def _phrase(text: str) -> str:
    """A dictionary phrase as written in news: ``ANGELA_MERKEL_`` -> ``Angela Merkel``; short all-caps
    words stay as acronyms (the lexicon matches those case-sensitively)."""
    words = [w for w in re.split(r"[_\s]+", text.strip().strip("_")) if w]
    return " ".join(words)


def _display(phrase: str) -> list[str]:
    """The forms a phrase is entered under: title case, and for a short single word the acronym too."""
    if " " not in phrase and len(phrase) <= 6 and phrase.isalpha():
        if len(phrase) <= 3 or phrase.lower() in STOP_WORDS:
            return [phrase.upper()]
        return [phrase.upper(), _title(phrase)]
    return [_title(phrase)]


def _title(phrase: str) -> str:
    return re.sub(r"[^\s\-]+", lambda m: m.group(0)[0].upper() + m.group(0)[1:], phrase.lower())


def read_records(path: Path) -> Iterator[Record]:
    """The records of a PETRARCH actor dictionary: phrases (primary and ``+`` synonyms) and their codes.
    Consecutive phrases without codes share the codes that follow them."""
    source = path.name
    record = Record(source=source)
    has_codes = False
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        comment = raw.partition("#")[2]
        line = raw.partition("#")[0].rstrip()
        if not line.strip():
            continue
        stripped = line.strip()
        if stripped.startswith("["):  # a (dated) code line of the current record
            for cell in CODE.findall(stripped):
                role = parse_code(cell)
                if role is not None:
                    record.roles.append(role)
                    record.dated = record.dated or role.start is not None or role.end is not None
            has_codes = True
            continue
        is_synonym = stripped.startswith("+")
        if not is_synonym and has_codes:
            if record.names:
                yield record
            record = Record(source=source)
            has_codes = False
        text = CODE.sub(" ", stripped)
        record.names.extend(_phrase(p) for p in text.split("+") if _phrase(p))
        record.countryinfo = record.countryinfo or "CountryInfo" in comment or "IGOrulers" in comment
        inline = CODE.findall(stripped)
        for cell in inline:
            role = parse_code(cell)
            if role is not None:
                record.roles.append(role)
                record.dated = record.dated or role.start is not None or role.end is not None
        if inline and not is_synonym:
            has_codes = True
            codes = [c.strip() for c in inline]
            record.country_block = len(codes) == 1 and len(codes[0]) == 3 and _iso(codes[0]) is not None
    if record.names:
        yield record


def _kind(record: Record) -> str:
    """An officeholder is marked so in the dictionaries, or has dated roles in more than one office."""
    if record.country_block:
        return "country"
    offices = {(r.country, r.sector) for r in record.roles}
    return "person" if record.countryinfo or record.dated and len(offices) > 1 else "organization"


def _usable(name: str) -> bool:
    return sum(c.isalpha() for c in name) >= 2 and name[0].isalpha() or name[:1].isdigit() and " " in name


def _variants(names: list[str]) -> list[str]:
    """The phrases as written, and without a leading "The" ("The Islamic State" is also "Islamic State")."""
    out: list[str] = []
    for name in names:
        out.append(name)
        first, _, rest = name.partition(" ")
        if first.lower() == "the" and " " in rest:
            out.append(rest)
    return out


# Countries where a person bears two surnames, father's then mother's, and news often drops the second
# ("Diego Molano Vega" is "Diego Molano").
TWO_SURNAME_COUNTRIES = frozenset({"ESP", "MEX", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "CUB", "DOM", "COL",
                                   "VEN", "ECU", "PER", "BOL", "CHL", "ARG", "URY", "PRY"})
SURNAME_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "san"})


def _without_second_surname(record: Record) -> list[str]:
    if _kind(record) != "person" or latest_role(record.roles).country not in TWO_SURNAME_COUNTRIES:
        return []
    out = []
    for name in record.names:
        words = name.split(" ")
        if 3 <= len(words) <= 4 and words[-2].lower() not in SURNAME_PARTICLES and "." not in name:
            out.append(" ".join(words[:-1]))
    return out


def _given_names(records: list[Record]) -> set[str]:
    """First words of officeholders' full names: a one-word phrase that is one ("Albert", "Abdullah")
    names too many people to stand alone."""
    return {r_name.split(" ")[0].lower() for r in records if _kind(r) == "person" for r_name in r.names if " " in r_name}


def _own_surname(name: str, record: Record) -> bool:
    key = name.lower()
    return any(n.lower().endswith(" " + key) for n in record.names)


@dataclass
class Row:
    names: list[str]
    kind: str
    roles: list[Role]


def actor_rows(records: Iterable[Record]) -> list[Row]:
    """One row per record with its display names; a phrase that records of different countries share is
    dropped from all of them, and a phrase given twice keeps its first record."""
    records = [r for r in records if r.roles]
    for record in records:
        record.names = [n for n in _variants(record.names) if _usable(n)]
        record.names += [n for n in _without_second_surname(record) if n not in record.names]
    given = _given_names(records)
    countries: dict[str, set[Optional[str]]] = defaultdict(set)  # the latest country of every record
    for record in records:
        for name in record.names:
            countries[name.lower()].add(latest_role(record.roles).country)
    seen: set[str] = set()
    rows: list[Row] = []
    for record in records:
        kind = _kind(record)
        names: list[str] = []
        for name in record.names:
            key = name.lower()
            if key in seen or len(countries[key] - {None}) > 1:
                continue
            if kind == "person" and " " not in name and (key in given or not _own_surname(name, record)):
                continue
            seen.add(key)
            names.extend(n for n in _display(name) if n not in names)
        if not names:
            continue
        if kind == "country":  # the country's own name first, then its adjectives, cities and regions
            first = record.names[0].lower()
            main = [n for n in names if n.lower() == first]
            rows.append(Row(main, "country", record.roles[:1])) if main else None
            others = [n for n in names if n.lower() != first]
            if others:
                rows.append(Row(others, "city", record.roles[:1]))
        else:
            rows.append(Row(names, kind, _unique(record.roles)))
    return rows


def latest_role(roles: list[Role]) -> Role:
    """The role that ends last (open roles last of all), else the undated default; a role without a
    country takes the others' when they agree on one (the same rule as the lexicon's)."""
    dated = [r for r in roles if r.start or r.end]
    role = max(dated, key=lambda r: (r.end or "99999999", r.start or "")) if dated else roles[0]
    countries = {r.country for r in roles if r.country}
    if role.country is None and len(countries) == 1:
        role = Role(countries.pop(), role.sector, role.start, role.end)
    return role


def _unique(roles: list[Role]) -> list[Role]:
    out: list[Role] = []
    for role in roles:
        if role not in out:
            out.append(role)
    return out


def _expand_agent(phrase: str, markers: dict[str, list[str]]) -> list[str]:
    for marker, values in markers.items():
        if marker in phrase:
            return [v for value in values for v in _expand_agent(phrase.replace(marker, value), markers)]
    return [phrase]


def _plural(word: str) -> str:
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


AGENT_LINE = re.compile(r"^(?P<phrase>[^\[{]+?)\s*(\{(?P<plural>[^}]*)\})?\s*\[(?P<code>[^\]}]*)[\]}]")


def agent_rows(path: Path) -> list[tuple[str, str]]:
    """Role nouns of one or two words with their sector, plurals included (``!PERSON!`` and ``!MINIST!``
    expanded; a phrase of three words or more names an office the head noun already gives)."""
    markers: dict[str, list[str]] = {}
    rows: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8", errors="replace").splitlines():
        line = raw.partition("#")[0].strip()
        if not line or line.startswith("<"):
            continue
        if line.startswith("!") and "=" in line and "[" not in line:
            marker, _, values = line.partition("=")
            markers[marker.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        match = AGENT_LINE.match(line)
        if match is None:
            continue
        code = match.group("code").replace("~", "").strip()
        converted = convert(code) if code else None
        sector = converted[1] if converted else None
        if "MED" in (code[i:i + 3] for i in range(0, len(code), 3)):
            sector = "MED"  # "state media" (GOVMED) reports: an outlet, as the extractors read MED
        if sector is None:
            continue
        plural = match.group("plural")
        forms: list[str] = []
        for phrase in _expand_agent(match.group("phrase").strip(), markers):
            words = _phrase(phrase).lower()
            if not words:
                continue
            forms.append(words)
            if plural is None and "!" not in match.group("phrase"):
                head, _, last = words.rpartition(" ")
                forms.append(f"{head} {_plural(last)}".strip())
        if plural:
            forms.extend(_phrase(p).lower() for p in plural.split() if _phrase(p))
        for form in forms:
            if 1 <= len(form.split()) <= 2 and form.isascii():
                rows.setdefault(form, sector)
    return sorted(rows.items())


HEADER = """# Derived from the PETRARCH2 dictionaries (Open Event Data Alliance; MIT licence, see PETRARCH2-LICENSE)
# by build_petrarch.py: do not edit by hand; rebuild with
#     python -m according.lexicons.build_petrarch /path/to/petrarch2
"""


def write_actors(rows: list[Row], out: Path) -> None:
    lines = [HEADER + "# names (|-separated)<TAB>kind<TAB>country<TAB>sector<TAB>roles (an officeholder's, when they\n"
             "# differ: COUNTRY SECTOR [FROM [TO]], ;-separated, '-' for none); country and sector: the latest role"]
    for row in rows:
        latest = latest_role(row.roles)
        dated = row.kind == "person" and len({(r.country, r.sector) for r in row.roles}) > 1
        roles = ";".join(r.cell() for r in row.roles) if dated else ""
        lines.append(f"{'|'.join(row.names)}\t{row.kind}\t{latest.country or ''}\t{latest.sector or ''}\t{roles}".rstrip("\t"))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_agents(rows: list[tuple[str, str]], out: Path) -> None:
    lines = [HEADER + "# role noun<TAB>sector"] + [f"{word}\t{sector}" for word, sector in rows]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(source: Path, out: Path) -> tuple[int, int]:
    missing = [name for name in (*ACTOR_FILES, AGENTS_FILE) if not (source / name).is_file()]
    if missing:
        raise SystemExit(f"{source}: not a PETRARCH2 dictionary folder (missing {', '.join(missing)})")
    records = [record for name in ACTOR_FILES for record in read_records(source / name)]
    rows = actor_rows(records)
    agents = agent_rows(source / AGENTS_FILE)
    write_actors(rows, out / "actor_petrarch.tsv")
    write_agents(agents, out / "actor_petrarch_agents.tsv")
    return len(rows), len(agents)


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path, help="folder holding the PETRARCH2 dictionaries")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent, help="where to write the TSVs")
    args = parser.parse_args(argv)
    actors, agents = build(args.source, args.out)
    print(f"wrote {actors} actor records and {agents} role nouns to {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
