"""Actors: spans naming parties, normalized to a country (ISO 3166 alpha-3) and a sector.

The country comes from a name in the phrase (country, short name, adjective or demonym, capital,
unambiguous city, known organization), preferring the words that modify the head directly over those
inside a prepositional phrase ("Russia's ambassador to Poland" is Russian). The sector comes from an
organization at the head, the head noun ("soldiers" MIL), a title before a name ("President X" GOV) or an
apposition ("X, a spokeswoman for ..."). A bare name with no evidence borrows it from a fuller mention
of the same person earlier or later in the article ("Ukrainian President Volodymyr Zelensky" ... "Zelensky");
a definite description from an earlier one ("the president"); a local party the text leaves unplaced
from the place its sentence names or the article's home country (see ``context.py``). Officeholders are
resolved as of the article's published date (``set_published``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator, Optional

from spacy.tokens import Doc, Span, Token

from ...records import Actor
from ..doc_views import columns, entities, entities_in, noun_chunks, sentence_of, span_text
from ..doc_views import text as text_of
from .context import anaphora_keys, earlier_heads, home_country, home_place, refers_back
from .lexicon import MAX_NAME_TOKENS, ActorLexicon, NameEntry

__all__ = ["ActorLexicon", "extract_actors", "actor_for_span", "actor_for_token", "find_names", "phrase_span",
           "set_published"]

PLACE_KINDS = frozenset({"country", "demonym", "capital", "city"})
EMBEDDING_DEPS = frozenset({"prep", "agent", "relcl", "acl", "advcl", "pcomp", "ccomp", "xcomp"})
PHRASE_EXCLUDED_DEPS = frozenset({"relcl", "acl", "advcl", "conj", "cc", "ccomp", "xcomp", "mark", "case"})
# Heads that say little about the sector when a modifier says more ("intelligence officials" SPY).
GENERIC_HEADS = frozenset({
    "official", "officer", "agency", "office", "department", "member", "head", "chief", "source",
    "spokesman", "spokeswoman", "spokesperson", "delegation", "unit", "group", "leader", "force",
    "personnel", "staff", "service", "people", "man", "woman", "agent", "worker", "workers",
})
# Sectors of parties that are local unless the text says otherwise: they take the article's home country.
HOME_SECTORS = frozenset({"GOV", "MIL", "COP", "REB", "OPP", "CVL", "UAF", "PRM", "LEG", "JUD", "SPY", "PTY"})
LOCATIVE_PREPOSITIONS = frozenset({"in", "inside", "near", "across", "throughout", "within", "around"})
NEGATING_PREFIXES = frozenset({"pro", "anti", "non", "post"})
MULTINATIONAL_HEADS = frozenset({"coalition", "alliance"})  # what an "X-led" phrase heads when it is a body
ACTOR_ENTITY_LABELS = frozenset({"GPE", "NORP", "ORG", "PERSON", "LOC", "FAC"})
PERSON_LABELS = frozenset({"PERSON"})


@dataclass(frozen=True, slots=True)
class NameMatch:
    start: int  # token index in the doc
    end: int
    entry: NameEntry


PUBLISHED_KEY = "according.published"
NAME_TABLE_KEY = "according.name_starts"


def set_published(doc: Doc, published: Optional[str]) -> None:
    """Tell the actor resolution the article's published date (YYYY-MM-DD), for officeholders whose
    role depends on when they are named ("Merkel" was chancellor from 2005). Kept in ``doc.user_data``."""
    if published:
        doc.user_data[PUBLISHED_KEY] = published
    else:
        doc.user_data.pop(PUBLISHED_KEY, None)


def published_of(doc: Doc) -> Optional[str]:
    return doc.user_data.get(PUBLISHED_KEY)


def find_names(span: Span, lexicon: ActorLexicon, *, on: Optional[str] = None) -> list[NameMatch]:
    """Longest known names in the span, left to right; an officeholder's as of ``on`` (default: the
    article's published date, see :func:`set_published`). The names that start at each token are
    looked up once per document and kept, so the many spans over one sentence cost one pass."""
    doc = span.doc
    day = on if on is not None else published_of(doc)
    starts = _name_table(doc, lexicon)
    matches: list[NameMatch] = []
    i = span.start
    while i < span.end:
        found = starts.get(i)
        if found is None:
            found = starts[i] = _names_at(doc, i, lexicon)
        best: Optional[tuple[int, NameEntry]] = None
        for end, entry in found:  # shortest first: keep the longest that fits the span
            if end <= span.end:
                best = (end, entry)
        if best is not None:
            matches.append(NameMatch(i, best[0], best[1].on(day)))
            i = best[0]
        else:
            i += 1
    return matches


def _name_table(doc: Doc, lexicon: ActorLexicon) -> dict[int, tuple[tuple[int, NameEntry], ...]]:
    held = doc.user_data.get(NAME_TABLE_KEY)
    if held is None or held[0] != id(lexicon):
        held = (id(lexicon), {})
        doc.user_data[NAME_TABLE_KEY] = held
    return held[1]


def _names_at(doc: Doc, i: int, lexicon: ActorLexicon) -> tuple[tuple[int, NameEntry], ...]:
    """Every known name that starts at token i, as (end, entry), shortest first."""
    cols = columns(doc)
    if cols.lower[i].replace("\u2019", "'") not in lexicon.first_words or (
            i >= 2 and cols.text[i - 1] == "-" and cols.lower[i - 2] in NEGATING_PREFIXES):  # "non-Syrian"
        if cols.ent_type[i] in ("GPE", "NORP") and cols.pos[i] == "PROPN":
            slip = lexicon.lookup_misspelled(cols.text[i])  # "Ethopia has agreed ..."
            if slip is not None:
                return ((i + 1, slip),)
        return ()
    found: list[tuple[int, NameEntry]] = []
    doc_text, start = text_of(doc), cols.idx[i]
    for n in range(1, min(MAX_NAME_TOKENS, len(doc) - i) + 1):
        last = i + n - 1
        text = doc_text[start:cols.idx[last] + len(cols.text[last])]  # doc[i:i + n].text
        if n > 1 and not lexicon.could_start(text):
            break  # no known name begins with these words: stop growing the candidate
        entry = lexicon.lookup(text)
        if entry is not None and (entry.kind not in PLACE_KINDS or not _inside_longer_person(doc, i, i + n)):
            found.append((i + n, entry))
    return tuple(found)


def _entity_bounds(token: Token) -> tuple[int, int]:
    """Start and end of the named entity a token is in, read from the IOB tags."""
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end


def _inside_longer_person(doc: Doc, start: int, end: int) -> bool:
    token = doc[start]
    if token.ent_type_ not in PERSON_LABELS or token.pos_ != "PROPN":
        return False
    ent_start, ent_end = _entity_bounds(token)
    return max(ent_end, end) - min(ent_start, start) > end - start


def _embedded(token: Token, root: Token) -> bool:
    """Whether the token sits in a prepositional phrase or clause below the root of its phrase."""
    current = token
    steps = 0
    while current.i != root.i and steps < 50:
        if current.dep_ in EMBEDDING_DEPS:
            return True
        if current.head.i == current.i:
            return False
        current = current.head
        steps += 1
    return False


def phrase_span(token: Token) -> Span:
    """The noun phrase a token heads, without relative clauses, clauses and conjuncts."""
    doc = token.doc
    cols = columns(doc)  # token indices over the columns: this runs for every argument and mention
    dep, is_space, is_punct = cols.dep, cols.is_space, cols.is_punct
    lo = hi = top = token.i
    stack = [top]
    while stack:
        current = stack.pop()
        for child in cols.children(current):
            if dep[child] in PHRASE_EXCLUDED_DEPS or is_space[child]:
                continue
            lo, hi = min(lo, child), max(hi, child)
            stack.append(child)
    for child in cols.children(top):  # a clause cut out of the phrase also cuts off what follows it
        if dep[child] in PHRASE_EXCLUDED_DEPS and dep[child] not in ("cc", "conj"):
            if child > top:
                hi = min(hi, doc[child].left_edge.i - 1)
            else:
                lo = max(lo, doc[child].right_edge.i + 1)
    while hi > lo and (is_punct[hi] or is_space[hi]):
        hi -= 1
    while lo < hi and (is_punct[lo] or is_space[lo]):
        lo += 1
    return Span(doc, lo, hi + 1)  # doc[lo:hi + 1] without spaCy's slice normalizing (in Python), for every argument


def _relation(span: Span, match: NameMatch, lexicon: ActorLexicon) -> Optional[str]:
    """How a name joined by a hyphen to the next word of the span relates to the party: "US-backed"
    patron, "US-led" leader (``actor_relations.tsv``), or None. The name alone stands for itself."""
    doc = span.doc
    if match.end + 1 < span.end and doc[match.end].text == "-":
        return lexicon.relations.get(doc[match.end + 1].lower_)
    return None


def _choose_country(matches: list[NameMatch], root: Token, span: Optional[Span] = None,
                    lexicon: Optional[ActorLexicon] = None) -> Optional[NameMatch]:
    doc = root.doc
    with_country = [m for m in matches if m.entry.country]
    if with_country and lexicon is not None and root.lemma_.lower() in lexicon.counterparts:
        # "the US military's Kurdish partners", "allies of Russia": the possessor is the other party
        other = [c for c in root.children if c.dep_ == "poss"
                 or (c.dep_ == "prep" and c.lower_ == "of" and c.i > root.i)]
        inside = {t.i for c in other for t in c.subtree}
        with_country = [m for m in with_country if m.start not in inside]
    if lexicon is not None and span is not None and lexicon.relations:
        related = {id(m): _relation(span, m, lexicon) for m in with_country}
        leaders = [m for m in with_country if related[id(m)] == "leader" and m.entry.kind in PLACE_KINDS]
        with_country = [m for m in with_country if related[id(m)] is None]
        if leaders and not with_country:  # "a US-led coalition": a multinational body
            m = leaders[0]
            return NameMatch(m.start, m.end, NameEntry(f"{m.entry.name}-led coalition", "IGO", "IGO", "organization"))
    if not with_country:
        return None
    # "ethnic Albanians in south Serbia": an ethnic adjective names no state when a place is given
    ethnic = [m for m in with_country if m.start > 0 and doc[m.start - 1].lower_ == "ethnic"]
    for m in with_country:
        if m.start <= root.i < m.end and m.entry.kind in PLACE_KINDS and (m not in ethnic or len(with_country) == 1):
            return m
    if ethnic and len(ethnic) < len(with_country):
        with_country = [m for m in with_country if m not in ethnic] + ethnic
    direct = [m for m in with_country if not _embedded(doc[m.end - 1], root) and m not in ethnic]
    embedded = [m for m in with_country if m not in direct]
    embedded = [m for m in embedded if m not in ethnic] + [m for m in embedded if m in ethnic]
    for group in (direct, embedded):
        places = [m for m in group if m.entry.kind in PLACE_KINDS]
        if places:
            return places[0]
        if group:
            return group[0]
    return None


SECTOR_WORDS_KEY = "according.sector_words"


def _sector_word(token: Token, lexicon: ActorLexicon) -> Optional[str]:
    """The sector a word names ("minister", "rebels", "Secretary-General"), kept per doc: the phrase
    finder, the sector chooser and the modifier reader ask about the same words."""
    doc = token.doc
    held = doc.user_data.get(SECTOR_WORDS_KEY)
    if held is None or held[0] != id(lexicon):
        held = doc.user_data[SECTOR_WORDS_KEY] = (id(lexicon), {})
    memo = held[1]
    i = token.i
    if i not in memo:
        memo[i] = _read_sector_word(token, lexicon)
    return memo[i]


def _read_sector_word(token: Token, lexicon: ActorLexicon) -> Optional[str]:
    text, i = columns(token.doc).text, token.i
    if i > 1 and text[i - 1] == "-":  # "Secretary-General" is split by the tokenizer
        joined = lexicon.sector_of(f"{text[i - 2]}-{text[i]}")
        if joined is not None:
            return joined.sector
    if i > 0:
        pair = lexicon.sector_of(f"{text[i - 1]} {text[i]}")
        if pair is not None:
            return pair.sector
    for word in (text[i], token.lemma_):
        entry = lexicon.sector_of(word)
        if entry is not None:
            if token.lower_ in COUNT_HEADS:  # "hundreds of civilians" are civilians, "hundreds of drones" no one
                counted = next((o for c in token.children if c.dep_ == "prep" and c.lower_ == "of"
                                for o in c.children if o.dep_ == "pobj"), None)
                if counted is not None:
                    return _sector_word(counted, lexicon)
            return entry.sector
    return None


# Numbers used as people ("hundreds were killed"), whose "of" phrase says what is counted
COUNT_HEADS = frozenset({"hundreds", "dozens", "thousands", "scores", "millions", "tens"})


def _choose_sector(span: Span, matches: list[NameMatch], lexicon: ActorLexicon) -> Optional[str]:
    root = span.root
    for m in matches:
        if m.start <= root.i < m.end:
            if m.entry.kind == "person":  # the article's title ("Senator X") beats the lexicon's default
                titled = _modifier_sector(root, span, lexicon)
                if titled:
                    return titled
            if m.entry.sector:
                return m.entry.sector
            if m.entry.kind == "capital" and m.end - m.start == len(span):
                return "GOV"  # a capital standing alone is its government ("Moscow said")
            if m.entry.kind in PLACE_KINDS:
                return None
    head_sector = _sector_word(root, lexicon) if root.ent_type_ not in PERSON_LABELS else None
    generic = root.lemma_.lower() in GENERIC_HEADS or root.lower_ in GENERIC_HEADS
    if head_sector and not generic:
        return head_sector
    if generic:  # "Red Cross officials" are the Red Cross's
        for m in matches:
            if m.entry.sector and m.entry.kind == "organization" and not _embedded(span.doc[m.end - 1], root):
                return m.entry.sector
    modifier = _modifier_sector(root, span, lexicon)
    if modifier:
        return modifier
    if head_sector:
        return head_sector
    for m in matches:
        if m.entry.sector and not _embedded(span.doc[m.end - 1], root):
            return m.entry.sector
    return None


def _modifier_sector(root: Token, span: Span, lexicon: ActorLexicon) -> Optional[str]:
    """Sector from a title before a name, a noun or adjective modifying the head, or an apposition."""
    cols = columns(span.doc)
    before = [span.doc[i] for i in range(span.start, min(span.end, root.i))
              if cols.head[i] == root.i and cols.dep[i] in ("compound", "amod", "nmod")]
    found = [s for s in (_sector_word(t, lexicon) for t in reversed(before)) if s]
    if found:  # "national intelligence agency officer": the specific sector over the generic GOV
        return next((s for s in found if s != "GOV"), found[0])
    for token in reversed([t for t in span if t.i < root.i and not t.is_punct]):
        sector = _sector_word(token, lexicon)
        if sector and not _embedded(token, root):
            return sector
    for child in root.children:
        if child.dep_ == "appos" and span.start <= child.i < span.end:
            sector = _sector_word(child, lexicon) or _modifier_sector(child, span, lexicon)
            if sector:
                return sector
    return None


def _kind(span: Span, country: Optional[NameMatch], matches: list[NameMatch]) -> str:
    root = span.root
    for m in matches:
        if m.start <= root.i < m.end:
            return "organization" if m.entry.kind == "organization" else (
                "person" if m.entry.kind == "person" else "country")
    if root.ent_type_ in PERSON_LABELS:
        return "person"
    if root.ent_type_ == "ORG":
        return "organization"
    if root.tag_ in ("NNS", "NNPS") or root.ent_type_ == "NORP":
        return "group"
    return "unknown" if country is None else "group"


ACTOR_MEMO_KEY = "according.actor_for_span"


def actor_for_span(span: Span, lexicon: ActorLexicon, *, use_other_mentions: bool = True,
                   on: Optional[str] = None) -> Optional[Actor]:
    """Normalize any span (an attribution's source, an event's argument) to an Actor, or None.
    ``on`` (YYYY-MM-DD) dates an officeholder's role; by default the article's published date.

    The attribution, event and actor extractors ask about the same phrases (a third of the calls on
    real news repeat one): each answer is kept per doc, keyed by everything it depends on."""
    if len(span) == 0:
        return None
    doc = span.doc
    memo = doc.user_data.get(ACTOR_MEMO_KEY)
    if memo is None:
        memo = doc.user_data[ACTOR_MEMO_KEY] = {}
    key = (span.start, span.end, id(lexicon), use_other_mentions, on, published_of(doc))
    if key not in memo:
        memo[key] = _actor_for_span(span, lexicon, use_other_mentions, on)
    return memo[key]


def _actor_for_span(span: Span, lexicon: ActorLexicon, use_other_mentions: bool, on: Optional[str]) -> Optional[Actor]:
    matches = find_names(span, lexicon, on=on)
    root = span.root  # one Token for the reads below (``span.root`` makes a new one each time)
    country = _choose_country(matches, root, span, lexicon)
    sector = _choose_sector(span, matches, lexicon)
    name = _name(span, matches)
    named = root.ent_type_ in PERSON_LABELS or root.pos_ == "PROPN"  # the small model tags some envoys ORG
    if country is None and (named or sector is not None):
        # "Joe Robinson, a former British soldier, was jailed in Turkey": British; "the foreign
        # minister, Julie Bishop": the minister is hers, wherever the sentence takes place
        told = _appositive_country(span, lexicon, on)
        if told is not None:  # a person also takes the apposition's role: "Bashar Jaafari, Syria's ambassador"
            return Actor(span_text(span), (span.start_char, span.end_char), name, told[0].entry.country,
                         sector or (told[1] if named else None),
                         "person" if root.ent_type_ in PERSON_LABELS else _kind(span, None, matches))
    if country is None and use_other_mentions and named:
        other = _other_mention(span, lexicon) or _earlier_full_name(span, lexicon, on)
        if other is not None:
            return Actor(span_text(span), (span.start_char, span.end_char), name, other.country,
                         sector or other.sector, "person")
    if country is None and use_other_mentions:
        placed = _from_context(span, lexicon, matches, sector, name, on)
        if placed is not None:
            return placed
    if country is None and sector is None:
        return None
    code = country.entry.country if country else None
    if code == "IGO" and sector is None:
        sector = "IGO"
    return Actor(span_text(span), (span.start_char, span.end_char), name, code, sector, _kind(span, country, matches))


def _appositive_country(span: Span, lexicon: ActorLexicon, on: Optional[str]) -> Optional[tuple[NameMatch, Optional[str]]]:
    """The country an apposition gives a person ("Ollie Hall, a UK national"; "a former British army
    soldier, Joe Robinson"), with the sector its role word gives ("Syria's ambassador": GOV): read from
    the apposition's own words, not from where the sentence puts them."""
    root = span.root
    others = [c for c in root.children if c.dep_ == "appos"]
    if root.dep_ == "appos" and root.head.i != root.i:
        others.append(root.head)
    for other in others:
        phrase = phrase_span(other)
        matches = [m for m in find_names(phrase, lexicon, on=on) if not span.start <= m.start < span.end]
        found = _choose_country(matches, other, phrase, lexicon)
        if found is not None:
            return found, _choose_sector(phrase, matches, lexicon)
    return None


def _from_context(span: Span, lexicon: ActorLexicon, matches: list[NameMatch], sector: Optional[str], name: str,
                  on: Optional[str]) -> Optional[Actor]:
    """A country the article gives a mention that names none: an earlier, fuller mention it refers back
    to ("the Syrian regime" ... "regime forces"), else the country its sentence places the action in, else
    the article's home country for a party that is plainly local (a state organ, armed group, opposition
    or civilians; a person the article does not place); an ethnic group such as "Kurdish forces" takes
    first the country the article's places name most (cross-validated on the real-news gold: the home
    country, from a story told from Washington or Ankara, miscoded them)."""
    doc = span.doc
    kind = _kind(span, None, matches)
    owner = _pronoun_owner(span, lexicon, on)
    if owner is not None:  # "the British government pleads with its citizens": British citizens
        return Actor(span_text(span), (span.start_char, span.end_char), name, owner.country, sector, kind)
    if refers_back(span):
        for key in anaphora_keys(span, GENERIC_HEADS):
            for head in earlier_heads(span, key):
                other = actor_for_span(phrase_span(head), lexicon, use_other_mentions=False, on=on)
                if other is not None and other.country:
                    return Actor(span_text(span), (span.start_char, span.end_char), name, other.country,
                                 sector or other.sector, kind if sector else other.kind)
        holder = _earlier_holder(span, lexicon, sector, on)
        if holder is not None:
            return Actor(span_text(span), (span.start_char, span.end_char), name, holder.country, sector, kind)
    group = _unplaced_group(span, lexicon)
    person = span.root.ent_type_ in PERSON_LABELS and span.root.pos_ == "PROPN"
    if sector not in HOME_SECTORS and not group and not person:
        return None
    home = _sentence_place(span, lexicon, on)
    if home is None and group:  # "Kurdish forces" are where the story happens, not where it is told from
        home = home_place(doc, _places_named(doc, lexicon, on))
    if home is None:
        home = home_country(doc, _countries_named(doc, lexicon, on))
    if home is None:
        return None
    if group and sector == "MIL":
        sector = "REB"  # an ethnic or religious group's forces are no state's army
    return Actor(span_text(span), (span.start_char, span.end_char), name, home, sector, kind)


OWNER_PRONOUNS = frozenset({"its", "their"})


def _pronoun_owner(span: Span, lexicon: ActorLexicon, on: Optional[str]) -> Optional[Actor]:
    """The placed subject of the clause a phrase owned by "its"/"their" stands in: that pronoun's
    antecedent as a reader takes it ("Turkey told its soldiers", "the rebels and their allies")."""
    root = span.root
    if not any(c.dep_ == "poss" and c.lower_ in OWNER_PRONOUNS for c in root.children):
        return None
    verb = root.head
    for _ in range(4):  # up to the clause: "pleads with its citizens", "sent troops to protect its border"
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") and c.i < root.i), None)
    if subject is None or subject.i == root.i or subject.pos_ == "PRON":
        return None
    owner = actor_for_span(phrase_span(subject), lexicon, use_other_mentions=False, on=on)
    return owner if owner is not None and owner.country else None


HOLDER_LOOKBACK = 6  # named people looked back over for the one a bare title ("the president") means


def _earlier_holder(span: Span, lexicon: ActorLexicon, sector: Optional[str], on: Optional[str]) -> Optional[Actor]:
    """The placed person a bare title refers to when no earlier phrase uses the title: "Donald Trump ordered
    a withdrawal ... the president's decision" is Trump's, not the country the article is about. The
    nearest earlier named person of the title's sector, as a reader takes it."""
    entry = lexicon.sector_of(span.root.lemma_.lower())
    if entry is None or entry.role != "title" or sector is None:
        return None
    people = [e for e in entities(span.doc) if e.label_ in PERSON_LABELS and e.end <= span.start]
    for ent in reversed(people[-HOLDER_LOOKBACK:]):
        person = actor_for_span(ent, lexicon, use_other_mentions=False, on=on)
        if person is not None and person.country and person.sector == sector:
            return person
    return None


def _countries_named(doc: Doc, lexicon: ActorLexicon, on: Optional[str]) -> Iterator[Optional[str]]:
    """The country of every name in the document, read only when iterated: ``home_country`` keeps its
    answer per document, and reading every name of a long article for each mention cost a quarter of
    the actor resolution."""
    for match in find_names(doc[:], lexicon, on=on):
        yield match.entry.country


def _places_named(doc: Doc, lexicon: ActorLexicon, on: Optional[str]) -> Iterator[Optional[str]]:
    """The country of every place the document names as where something is ("in northern Syria"), read
    only when iterated (``home_place`` keeps its answer per document)."""
    for match in find_names(doc[:], lexicon, on=on):
        if match.entry.kind in PLACE_KINDS and _located(doc[match.end - 1]):
            yield match.entry.country


def _sentence_place(span: Span, lexicon: ActorLexicon, on: Optional[str]) -> Optional[str]:
    """The one country the sentence places its action in ("... Kurdish forces in northern Syria"): places
    governed by a locative preposition, when they all name the same country."""
    sent = sentence_of(span.doc, span.start)
    found = {m.entry.country for m in find_names(sent, lexicon, on=on)
             if m.entry.kind in PLACE_KINDS and m.entry.country and _located(span.doc[m.end - 1])}
    return found.pop() if len(found) == 1 else None


def _located(token: Token) -> bool:
    current = token
    for _ in range(4):  # "in northern Syria", "in the Syrian city of Afrin"
        if current.dep_ == "pobj" and current.head.lower_ in LOCATIVE_PREPOSITIONS:
            return True
        if current.head.i == current.i:
            return False
        current = current.head
    return False


def _unplaced_group(span: Span, lexicon: ActorLexicon) -> bool:
    """Whether the phrase names a people the lexicon places nowhere ("Kurdish forces", "the Kurds")."""
    root = span.root
    return any(t.ent_type_ == "NORP" and t.i <= root.i and lexicon.lookup(t.text) is None for t in span)


def _name(span: Span, matches: list[NameMatch]) -> str:
    root = span.root
    for m in matches:
        if m.start <= root.i < m.end:
            return m.entry.name
    if root.ent_type_:
        start, end = _entity_bounds(root)
        return span_text(span.doc[max(start, span.start):min(end, span.end)])
    text = span_text(span)
    for article in ("the ", "The ", "a ", "A ", "an ", "An "):
        if text.startswith(article):
            return text[len(article):]
    return text


PERSON_INDEX_KEY = "according.person_countries"


def _person_countries(doc: Doc, surname: str, lexicon: ActorLexicon) -> list[tuple[int, Actor]]:
    """The PERSON mentions ending in ``surname`` whose own phrase names a country, in text order.

    Resolved once per surname per doc (kept in ``doc.user_data``), so each mention's lookup is a list
    walk, not a resolution of every other mention: 2,000 "Smith said" sentences stay linear.
    """
    index = _person_index(doc)
    key = (id(lexicon), surname)
    resolved = index["resolved"].get(key)
    if resolved is None:
        resolved = []
        for last in index["ends"].get(surname, ()):
            other = actor_for_span(phrase_span(doc[last]), lexicon, use_other_mentions=False)
            if other is not None and other.country:
                resolved.append((last, other))
        index["resolved"][key] = resolved
    return resolved


def _other_mention(span: Span, lexicon: ActorLexicon) -> Optional[Actor]:
    """A fuller mention of the same person in the article, which names their country."""
    for last, other in _person_countries(span.doc, span.root.text, lexicon):
        if not span.start <= last < span.end:  # at most len(span) entries are skipped
            return other
    return None


SURNAME_PARTICLES = frozenset({"de", "da", "di", "del", "van", "von", "der", "al", "bin", "ibn", "abu", "el", "le", "la"})


def _earlier_full_name(span: Span, lexicon: ActorLexicon, on: Optional[str]) -> Optional[Actor]:
    """A bare surname ("Carlile urged ...", which the parser may not even tag a person) is the person an
    earlier full name ending in it names ("Lord Carlile, the former reviewer ..."), placed as that mention
    is, by the article if nothing else places it. Only a name's last one to three words ("de Mistura" of
    "Staffan de Mistura"), and only a placed answer."""
    doc = span.doc
    if len(span) > 3 or not all(t.is_title or t.lower_ in SURNAME_PARTICLES for t in span):
        return None  # "Carlile", "De Mistura", "al-Assad": a name's last words, not a phrase
    surname = doc[span.end - 1].text
    wanted = span.text.lower()
    for last in reversed(_person_index(doc)["ends"].get(surname, ())):
        if last < span.start:
            full = phrase_span(doc[last])
            ending = doc[max(0, last - len(span) + 1):last + 1].text.lower()  # "de Mistura" of "Staffan de Mistura"
            if len(full) > len(span) and ending == wanted:
                found = actor_for_span(full, lexicon, on=on)
                return found if found is not None and found.country else None
    return None


def _person_index(doc: Doc) -> dict:
    """{"ends": surname -> last tokens of the PERSON entities ending in it, "resolved": answers of
    ``_person_countries``}, made once per doc (kept in ``doc.user_data``)."""
    index = doc.user_data.get(PERSON_INDEX_KEY)
    if index is None:
        index = {"ends": {}, "resolved": {}}
        for ent in entities(doc):
            if ent.label_ in PERSON_LABELS:
                index["ends"].setdefault(doc[ent.end - 1].text, []).append(ent.end - 1)
        doc.user_data[PERSON_INDEX_KEY] = index
    return index


def actor_for_token(token: Token, lexicon: ActorLexicon) -> Optional[Actor]:
    """The actor named by the noun phrase a token heads."""
    if token.pos_ == "PRON":
        return None
    return actor_for_span(phrase_span(token), lexicon)


def extract_actors(doc: Doc, lexicon: ActorLexicon) -> Iterator[Actor]:
    """Every noun phrase that names a party with a known country or sector, in text order."""
    seen_until = -1
    for chunk in _candidate_phrases(doc, lexicon):
        if chunk.start < seen_until:
            continue
        if not _names_a_party(chunk.root, lexicon) and not _led_body(chunk, lexicon):
            # "Russia's increasing strikes" is no party, but Russia is
            parts = _named_parts(chunk, lexicon)
        else:
            parts = [chunk]
        for part in parts:
            actor = actor_for_span(part, lexicon)
            if actor is not None:
                seen_until = chunk.end
                yield actor


def _named_parts(chunk: Span, lexicon: ActorLexicon) -> list[Span]:
    """The parties named inside a phrase that is none itself: its entities, each grown to the known name
    it is part of ("Islamic State terrorist attacks": the tagger's entity is "Islamic", the name is
    "Islamic State")."""
    names = [m for m in find_names(chunk, lexicon) if m.end - m.start > 1]
    parts: list[Span] = []
    for ent in entities_in(chunk):
        if ent.label_ not in ACTOR_ENTITY_LABELS:
            continue
        longer = next((m for m in names if m.start <= ent.start and m.end >= ent.end and m.end - m.start > len(ent)), None)
        part = Span(chunk.doc, longer.start, longer.end) if longer is not None else ent
        if not parts or part.start >= parts[-1].end:
            parts.append(part)
    return parts


def _led_body(chunk: Span, lexicon: ActorLexicon) -> bool:
    """"the US-led coalition", "a Saudi-led alliance": a multinational body a named country leads."""
    doc = chunk.doc
    return chunk.root.lemma_.lower() in MULTINATIONAL_HEADS and any(
        doc[i].text == "-" and lexicon.relations.get(doc[i + 1].lower_) == "leader" for i in range(chunk.start, chunk.end - 1))


def _names_a_party(root: Token, lexicon: ActorLexicon) -> bool:
    return (root.ent_type_ in ACTOR_ENTITY_LABELS or root.pos_ == "PROPN" or _sector_word(root, lexicon) is not None
            or lexicon.lookup(root.text) is not None)


def _candidate_phrases(doc: Doc, lexicon: ActorLexicon) -> Iterator[Span]:
    chunks = noun_chunks(doc)
    ent_type = columns(doc).ent_type
    covered = set()
    spans: list[Span] = []
    for chunk in chunks:
        has_entity = any(ent_type[i] in ACTOR_ENTITY_LABELS for i in range(chunk.start, chunk.end))
        if has_entity or _sector_word(chunk.root, lexicon):
            spans.append(chunk)
            covered.update(range(chunk.start, chunk.end))
    for ent in entities(doc):
        if ent.label_ in ACTOR_ENTITY_LABELS and ent.start not in covered:
            spans.append(ent)
    spans.sort(key=lambda s: (s.start, -s.end))
    return iter(spans)
