"""Rule-based attribution finding over the dependency parse.

Each finder yields ``RawAttribution``: token ranges for source, cue and content, before typing,
stance and linking (see attribution_finish.py). Token ranges are half-open ``(start, end)`` token indices.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterable, Iterator, Optional

from spacy.tokens import Doc, Span, Token

from ..doc_views import Columns, columns, words_in
from ..doc_views import text as text_of
from .lexicon import AttributionLexicon
from .quotes import quote_depth, quote_regions

TokRange = tuple[int, int]

SUBJECTS = ("nsubj", "nsubjpass", "csubj")
CUE_MODIFIERS = ("aux", "auxpass", "neg")
SOURCE_ENTS = ("PERSON", "ORG", "NORP", "GPE", "FAC")
# "said goodbye", "said hello": a bare object of "say" is not reported content.
CONTENT_NEEDS_CLAUSE = ("say", "tell")
ABOUT_PREPS = ("about", "of", "on", "over")
OPEN_QUOTES = ("“", "\"", "``", "`", "''")  # '' opens as well as closes in some newswire text
CLOSE_QUOTES = ("”", "\"", "''")


@dataclass(frozen=True)
class RawAttribution:
    cue: TokRange
    source: Optional[TokRange]
    content: Optional[TokRange]
    cue_head: int  # token index of the cue's main word
    channel: Optional[TokRange] = None
    content_fragments: tuple[TokRange, ...] = ()  # the pieces, when the content is discontinuous
    confident: bool = False  # a pattern precise enough to keep even where the CRF found no cue
    layout: bool = False  # a typographic convention ("NAME: ...", "“...” — Name"), found by rules only


def _range(tokens: Iterable[Token]) -> Optional[TokRange]:
    idx = [t.i for t in tokens]
    return (min(idx), max(idx) + 1) if idx else None


def trim(doc: Doc, rng: Optional[TokRange], *, keep_quotes: bool = True, lead_words: bool = False) -> Optional[TokRange]:
    """Drop punctuation and conjunctions at the edges (quote marks stay when ``keep_quotes``). With
    ``lead_words``, a leading conjunction or mark stays: a piece of a content keeps its "but", "and",
    "if" ("..., she said, and 'I had to step back'"; "If this fails, he said, there are other tools")."""
    if rng is None:
        return None
    start, end = rng

    def droppable(tok: Token) -> bool:
        if keep_quotes and tok.is_quote:
            return False
        return tok.is_punct or tok.is_space or tok.dep_ in ("cc", "mark") and tok.lower_ != "that" or tok.lower_ in ("and", "but")

    while start < end and (doc[start].is_punct and not (keep_quotes and doc[start].is_quote) or doc[start].is_space
                           if lead_words else droppable(doc[start])):
        start += 1
    while end > start and droppable(doc[end - 1]):
        end -= 1
    return (start, end) if end > start else None


def subtree_range(tok: Token, exclude: Optional[TokRange] = None) -> Optional[TokRange]:
    """The contiguous token range of ``tok``'s subtree, cut at ``exclude`` on tok's side."""
    start, end = tok.left_edge.i, tok.right_edge.i + 1
    if exclude is not None:
        ex_start, ex_end = exclude
        if ex_start <= tok.i < ex_end:
            return None
        if ex_end <= tok.i:
            start = max(start, ex_end)
        else:
            end = min(end, ex_start)
    return (start, end) if end > start else None


def plausible_source(tok: Token, lexicon: AttributionLexicon) -> bool:
    """A phrase head that can name a speaker: a name, a pronoun, an entity or a source noun."""
    return plausible_source_at(columns(tok.doc), tok.i, lexicon)


def plausible_source_at(cols: Columns, i: int, lexicon: AttributionLexicon) -> bool:
    """``plausible_source(doc[i])`` read from the doc's columns."""
    if cols.pos[i] in ("PROPN", "PRON") or cols.ent_type[i] in SOURCE_ENTS:
        return True
    lemma = cols.lemma[i]
    return (lemma in lexicon.anonymous_heads or lemma in lexicon.document_heads or cols.lower[i] in lexicon.media_words
            or lemma in lexicon.institution_heads or lemma in lexicon.role_heads)


def find_according_to(sent: Span, lexicon: AttributionLexicon) -> Iterator[RawAttribution]:
    """"according to X" (and "per X"): X is the source, the clause it modifies the content."""
    doc = sent.doc
    lower = columns(doc).lower
    for i in range(sent.start, sent.end):
        if lower[i] != "according" or i + 1 >= sent.end or lower[i + 1] != "to":
            continue
        tok = doc[i]
        to = doc[tok.i + 1]
        objects = [c for c in list(to.children) + list(tok.children) if c.dep_ == "pobj"]
        if not objects or not plausible_source(objects[0], lexicon):
            continue
        source = subtree_range(objects[0])
        phrase = (tok.i, source[1] if source else tok.i + 2)
        head = tok.head if tok.head.i != tok.i else None
        content = None
        if head is not None:
            start, end = head.left_edge.i, head.right_edge.i + 1
            if head.i < tok.i:
                content = trim(doc, (skip_dateline(doc, start), tok.i))
            else:
                content = trim(doc, (phrase[1], end))
        yield RawAttribution(cue=(tok.i, tok.i + 2), source=trim(doc, source), content=content, cue_head=tok.i,
                             confident=content is not None)


PLACE_ENTS = ("GPE", "LOC", "FAC")


def _is_dateline(doc: Doc, start: int, colon: int) -> bool:
    """"Tehran:", "WASHINGTON —": a place name before a colon or dash opening a line."""
    tokens = doc[start:colon]
    return 0 < len(tokens) <= 4 and all(t.ent_type_ in PLACE_ENTS or t.is_punct for t in tokens)


DATELINE_DASHES = ("—", "--", "-", "―", "–")


def _capitals_line(doc: Doc, start: int, dash: int) -> bool:
    """"BRUSSELS -", "NEW YORK ―": a wire dateline in capitals (the parser seldom tags it a place)."""
    tokens = doc[start:dash]
    return 0 < len(tokens) <= 4 and all(t.is_upper and t.is_alpha or t.is_punct for t in tokens)


def skip_dateline(doc: Doc, start: int) -> int:
    """The first token after a dateline that opens the sentence at ``start`` (or ``start``)."""
    sent_start = columns(doc).sent_start[start]
    if start != sent_start:
        return start
    for tok in doc[start:min(len(doc), start + 5)]:
        if tok.i == start:
            continue
        if tok.text == ":" and _is_dateline(doc, start, tok.i):
            return tok.i + 1
        # a dash set off by a space ("US-led forces said" is a compound, not a dateline)
        if (tok.text in DATELINE_DASHES and (doc[tok.i - 1].whitespace_ or tok.text in ("—", "--"))
                and (_is_dateline(doc, start, tok.i) or _capitals_line(doc, start, tok.i))):
            return tok.i + 1
    return start


def split_channel(doc: Doc, rng: Optional[TokRange], lexicon: AttributionLexicon) -> tuple[Optional[TokRange], Optional[TokRange]]:
    """Cut a trailing "in a statement to CNN" off a content; return (content, channel)."""
    if rng is None:
        return None, None
    start, end = rng
    span = doc[start:end]
    cols = columns(doc)
    for i in range(span.start, span.end):
        if cols.dep[i] != "prep" or cols.lower[i] not in ("in", "via", "through") or i == start:
            continue  # a Token only for a preposition that may open a channel
        tok = doc[i]
        objects = [c for c in tok.children if c.dep_ == "pobj"]
        if objects and objects[0].lemma_.lower() in lexicon.cue_nouns and tok.right_edge.i + 1 >= end - 1:
            return trim(doc, (start, tok.i)), (tok.i, tok.right_edge.i + 1)
    return rng, None


def verb_subject(verb: Token) -> tuple[Optional[Token], Token]:
    """The subject of ``verb``, climbing through "was the first to announce" and shared subjects.

    Returns the subject and the token where the cue starts (the copula when climbing through it).
    """
    cue_start = verb
    current = verb
    for _ in range(4):
        subjects = [c for c in current.children if c.dep_ in SUBJECTS]
        if subjects:
            return subjects[0], cue_start
        agent = [c for c in current.children if c.dep_ == "agent"]
        if agent:
            objects = [c for c in agent[0].children if c.dep_ == "pobj"]
            return (objects[0] if objects else None), cue_start
        if current.dep_ in ("xcomp", "advcl") and current.head.i != current.i and _infinitive_of(current):
            # "led some in Washington to view it as ...": the object of "led" views, not its subject
            controller = [c for c in current.head.children if c.dep_ == "dobj" and c.i < current.i]
            if controller and controller[0].pos_ in ("NOUN", "PROPN", "PRON"):
                return controller[0], cue_start
        if (current.dep_ == "advcl" and current.lemma_ == "add" and current.head.dep_ == "ccomp"
                and current.head.head.pos_ == "VERB"):
            current = current.head.head  # "said Javid had ..., adding that": Abbott adds, not Javid
            continue
        if current.dep_ == "acl" and current.tag_ == "VBG" and current.head.pos_ in ("NOUN", "PROPN"):
            return current.head, cue_start  # "with witnesses claiming that ...": the witnesses claim
        if current.dep_ == "pcomp" and current.head.lower_ == "as" and current.head.head.pos_ == "VERB":
            # "Bloomberg quoted Russian sources as saying ...": the sources say
            quoted_ = [c for c in current.head.head.children if c.dep_ == "dobj"]
            if quoted_:
                return quoted_[0], cue_start
        if current.dep_ in ("xcomp", "conj", "advcl") and current.head.i != current.i:
            current = current.head
            continue
        copula = current.head.head
        if (current.dep_ in ("acl", "relcl") and current.head.dep_ in ("attr", "acomp")
                and copula.lemma_ == "be" and not _crosses_line(copula, current)):
            current = copula
            cue_start = current
            continue
        break
    return None, cue_start


def _clause_child(verb: Token) -> bool:
    return any(c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX") and c.i > verb.i for c in verb.children)


def _infinitive_of(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def _crosses_line(a: Token, b: Token) -> bool:
    lo, hi = sorted((a.i, b.i))
    return any("\n" in t.text for t in a.doc[lo:hi])


def _is_relative_pronoun(tok: Token) -> bool:
    return tok.tag_ in ("WDT", "WP") or (tok.lower_ == "that" and tok.dep_ != "mark" and tok.pos_ == "PRON")


def _verb_content(verb: Token, lexicon: AttributionLexicon) -> tuple[Optional[TokRange], Optional[Token]]:
    """The content range of a cue verb and the preposition the cue absorbs ("warned about")."""
    doc = verb.doc
    lemma = verb.lemma_.lower()
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
            return subtree_range(child), None
    if verb.dep_ in ("parataxis", "ccomp") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX"):
        if verb.i > verb.head.i and _set_off(verb):
            return trim(doc, (verb.head.left_edge.i, verb.left_edge.i)), None
    if _trailing_report(verb, lexicon):
        # "He remains on bail, his mother told BBC News.": parsed as a conjunct of what she said
        return trim(doc, (skip_dateline(doc, verb.sent.start), verb.left_edge.i)), None
    if lemma not in CONTENT_NEEDS_CLAUSE:
        for child in verb.children:
            if child.dep_ == "dobj" and not _is_relative_pronoun(child):
                return subtree_range(child), None
            if child.dep_ == "prep" and child.lower_ in ABOUT_PREPS:
                objects = [c for c in child.children if c.dep_ == "pobj"]
                if objects and not _is_relative_pronoun(objects[0]):
                    return subtree_range(objects[0]), child
                if verb.dep_ == "relcl":
                    return _relative_head(verb), child
    if verb.dep_ == "relcl":
        return _relative_head(verb), None
    return None, None


def _set_off(verb: Token) -> bool:
    """", he said" / "“...” she said": the cue's clause is set off from its host by punctuation (not
    "revealed he was talking", where "talking" is what was revealed)."""
    k = verb.left_edge.i
    return verb.doc[k].is_punct or (k > 0 and verb.doc[k - 1].is_punct)


def _trailing_report(verb: Token, lexicon: AttributionLexicon) -> bool:
    """A speech verb whose clause closes the sentence after a comma, with its own subject and no "and"."""
    if verb.dep_ != "conj" or verb.i < verb.head.i or not _speech_verb(verb, lexicon):
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not subjects or any(c.dep_ == "cc" for c in verb.children) or any(c.dep_ in ("ccomp", "xcomp") for c in verb.children):
        return False
    k = subjects[0].left_edge.i
    doc = verb.doc
    if k == 0 or doc[k - 1].text != "," or doc[k - 2].lower_ in ("and", "but", "or"):
        return False
    return all(t.is_punct or t.is_space for t in doc[verb.right_edge.i + 1:verb.sent.end])


def _relative_head(verb: Token) -> Optional[TokRange]:
    """"a delivery that officials had warned about": the noun phrase before the relative clause."""
    noun = verb.head
    return trim(verb.doc, (noun.left_edge.i, verb.left_edge.i))


def _cue_range(verb: Token, cue_start: Token, prep: Optional[Token]) -> TokRange:
    start = cue_start.i
    for child in verb.children:
        if child.dep_ in CUE_MODIFIERS and child.i < verb.i and child.i >= start - 3:
            start = min(start, child.i)
    end = verb.i + 1
    for child in verb.children:
        if child.dep_ == "prt" and child.i == end:
            end += 1
    if prep is not None and prep.i >= end and prep.i - end <= 2:
        end = prep.i + 1
    return (start, end)


def _channel(verb: Token, lexicon: AttributionLexicon) -> Optional[TokRange]:
    """"told CNN", "said in a statement to CNN", "said in an interview with CNN"."""
    for child in verb.children:
        if child.dep_ in ("dative", "dobj") and verb.lemma_.lower() == "tell" and plausible_source(child, lexicon):
            return subtree_range(child)
        if child.dep_ == "prep" and child.lower_ in ("in", "to"):
            for obj in child.children:
                if obj.dep_ != "pobj":
                    continue
                if child.lower_ == "to" and plausible_source(obj, lexicon):
                    return subtree_range(obj)
                if obj.lemma_.lower() in lexicon.cue_nouns:
                    return subtree_range(child)
    return None


def as_complement(verb: Token) -> Optional[Token]:
    """The "as" complement of a judgement verb ("regards them as a threat" -> threat), or its object
    predicate ("labelled “western proxies”" -> proxies)."""
    # "described by the minister as a turning point": the parser may hang the "as" on the agent
    agents = [o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"]
    for child in list(verb.children) + [c for a in agents for c in a.children]:
        if child.dep_ == "oprd" and child.head.i == verb.i:
            return child
        if child.dep_ == "prep" and child.lower_ == "as":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if objects:
                return objects[0]
    return None


def passive_form(verb: Token) -> bool:
    """"is believed", "was seen as", and the bare participle ("seen by the west as", "said to number")."""
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return True
    if verb.dep_ not in ("acl", "advcl", "pcomp") or any(c.dep_ in ("nsubj", "aux") for c in verb.children):
        return False
    # "..., regarded variously as ...": a participle after a comma, whatever tag the tagger gave it
    after_comma = verb.left_edge.i > 0 and verb.doc[verb.left_edge.i - 1].text == ","
    return verb.tag_ == "VBN" or (verb.tag_ == "VBD" and after_comma)


def find_as_judgements(sent: Span, lexicon: AttributionLexicon) -> Iterator[RawAttribution]:
    """"the Turkish military, which regards them as a threat", "what was seen as a bid", "an event seen by
    the west as a rival": a judgement, held by the subject, the passive's agent, or no one named."""
    doc = sent.doc
    for verb in words_in(sent, "VERB", lexicon.as_verbs):
        role = as_complement(verb)
        if role is None or role.i < verb.i:
            continue
        marker = role.head if role.dep_ == "pobj" else None
        between = doc[verb.i + 1:marker.i] if marker is not None else doc[verb.i + 1:role.i]
        prep = marker if marker is not None and not any(t.pos_ in ("NOUN", "PROPN", "PRON") for t in between) else None
        if passive_form(verb):
            agent = next((o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"), None)
            source = subtree_range(agent, (marker.i, role.right_edge.i + 1) if marker is not None else None) if agent is not None else None
            cue_start = verb
            content = subtree_range(role)
        else:
            subject, cue_start = verb_subject(verb)
            if subject is None:
                continue
            source = subtree_range(subject)
            objects = [c for c in verb.children if c.dep_ == "dobj" and c.i < role.i and not _is_relative_pronoun(c)]
            content = (objects[0].left_edge.i, role.right_edge.i + 1) if objects else subtree_range(role)
        yield RawAttribution(cue=_cue_range(verb, cue_start, prep), source=trim(doc, source),
                             content=_extend_to_quotes(doc, trim(doc, content)), cue_head=verb.i, confident=True)


def hearsay_passive(verb: Token, lexicon: AttributionLexicon) -> bool:
    """"is believed to be", "currently thought to be": the writer relays an unsourced belief."""
    return (verb.lemma_.lower() in lexicon.hearsay_verbs and (passive_form(verb) or reduced_passive(verb, lexicon))
            and infinitive(verb) is not None)


def infinitive(verb: Token) -> Optional[TokRange]:
    """The infinitive clause a verb takes ("said to number ...")."""
    clause = next((c for c in verb.children if c.dep_ == "xcomp" and c.i > verb.i), None)
    return (clause.left_edge.i, clause.right_edge.i + 1) if clause is not None else None


def reduced_passive(verb: Token, lexicon: AttributionLexicon) -> bool:
    """"The militia, said to number ...", "families currently thought to be ...", parsed as an active
    verb with the one spoken of as its subject."""
    doc = verb.doc
    if verb.lemma_.lower() not in lexicon.hearsay_verbs or verb.i == 0:
        return False
    if not (verb.tag_ == "VBN" or doc[verb.i - 1].text == ","):
        return False
    if any(c.dep_ in ("aux", "auxpass") for c in verb.children):
        return False
    clause = infinitive(verb)
    return clause is not None and doc[clause[0]].lower_ == "to"


def find_cue_verbs(sent: Span, lexicon: AttributionLexicon, quoted: Optional[list[int]] = None) -> Iterator[RawAttribution]:
    """Cue verbs from the lexicon with a subject or a content in the parse (``quoted``: quote_depth)."""
    doc = sent.doc
    for verb in words_in(sent, "VERB", lexicon.cue_verbs):
        if verb.dep_ in ("amod", "compound"):
            continue
        content, prep = _verb_content(verb, lexicon)
        subject, cue_start = verb_subject(verb)
        if content is None and verb.lemma_.lower() in CONTENT_NEEDS_CLAUSE:
            continue
        if subject is None and content is None:
            continue
        source = None
        if subject is not None:
            # "witnesses claiming ...": the noun the cue's clause modifies, without that clause
            inside = subject.left_edge.i <= verb.i <= subject.right_edge.i
            source = subtree_range(subject, (verb.left_edge.i, verb.right_edge.i + 1) if inside else None)
        cue = _cue_range(verb, cue_start, prep)
        source = _after_line_break(doc, source, cue)
        channel = _channel(verb, lexicon)
        if content is not None:
            content, trailing = split_channel(doc, _strip_complementizer(doc, content), lexicon)
            content = _extend_to_quotes(doc, trim(doc, content))
            channel = channel or trailing
        entry = lexicon.cue_verbs[verb.lemma_.lower()]
        confident = (subject is not None and content is not None and plausible_source(subject, lexicon)
                     and (entry.cls in ("speech", "report") or cue_start.i != verb.i or prep is not None))
        confident = confident or (content is not None and hearsay_passive(verb, lexicon))
        # "officials believed it had taken place", "he hoped the government was ...": a belief with its clause
        # (not inside a quotation: the speaker's own "I think" is no report of the article's)
        confident = confident or (subject is not None and content is not None and plausible_source(subject, lexicon)
                                  and subject.lower_ not in ("it", "you") and _clause_child(verb)
                                  and quoted is not None and not quoted[verb.i])
        yield RawAttribution(cue=cue, source=trim(doc, source), content=content, cue_head=verb.i,
                             channel=trim(doc, channel), confident=confident)


def _after_line_break(doc: Doc, source: Optional[TokRange], cue: TokRange) -> Optional[TokRange]:
    """A title line the parser ran into the next sentence: the source is what follows the break."""
    if source is None or source[0] >= cue[0]:
        return source
    breaks = [t.i for t in doc[source[0]:cue[0]] if "\n" in t.text]
    if not breaks:
        return source
    return _noun_phrase(doc, breaks[-1] + 1, cue[0])


def _strip_complementizer(doc: Doc, rng: Optional[TokRange]) -> Optional[TokRange]:
    """The analyzer's convention: content starts after a "that"/"whether"/"if" complementizer, and after
    the comma that may follow it ("that, if elected, he would ..."). Only the mark of the content's own
    clause is one: in "if people are offended, they should leave" the "if" belongs to the content."""
    if rng is None:
        return None
    start, end = rng
    mark = doc[start] if start < end else None
    if mark is not None and mark.dep_ == "mark" and mark.lower_ in ("that", "whether", "if") \
            and (end - start == 1 or mark.head.i == doc[start + 1:end].root.i):
        start += 1
        while start < end and doc[start].is_punct and not doc[start].is_quote:
            start += 1
    return (start, end) if end > start else None


def _extend_to_quotes(doc: Doc, rng: Optional[TokRange]) -> Optional[TokRange]:
    """Take in the quote marks (and punctuation before a closing mark) that enclose the content."""
    if rng is None:
        return None
    start, end = rng
    if start > 0 and doc[start - 1].text in OPEN_QUOTES and not doc[start].is_quote:
        start -= 1
    probe = end
    while probe < len(doc) and probe - end < 2 and doc[probe].is_punct and not doc[probe].is_quote:
        probe += 1
    if probe < len(doc) and doc[probe].text in CLOSE_QUOTES and doc[start].text in OPEN_QUOTES:
        end = probe + 1
    return (start, end)


def _speech_verb(tok: Token, lexicon: AttributionLexicon) -> bool:
    entry = lexicon.cue_verbs.get(tok.lemma_.lower())
    return entry is not None and entry.cls in ("speech", "report") and tok.pos_ in ("VERB", "AUX")


def _noun_phrase(doc: Doc, start: int, end: int) -> Optional[TokRange]:
    """``(start, end)`` when it reads as a noun phrase (no verb, ends in a noun or pronoun)."""
    rng = trim(doc, (start, end), keep_quotes=False)
    if rng is None or rng[1] - rng[0] > 12:
        return None
    tokens = doc[rng[0]:rng[1]]
    if any(t.pos_ in ("VERB", "AUX") or t.is_quote or "\n" in t.text for t in tokens):
        return None
    return rng if tokens.root.pos_ in ("NOUN", "PROPN", "PRON") else None


def find_quote_cues(doc: Doc, lexicon: AttributionLexicon, regions: list[TokRange]) -> Iterator[RawAttribution]:
    """"“...,” a source said." and "“...,” said X.": a quotation followed by its speaker and a speech verb."""
    for start, end in regions:
        k = end
        while k < len(doc) and doc[k].is_punct and not doc[k].is_quote and k - end < 2:
            k += 1
        limit = min(len(doc), k + 10)
        for j in range(k, limit):
            tok = doc[j]
            if tok.is_sent_start and j > k or "\n" in tok.text:
                break
            if not _speech_verb(tok, lexicon):
                continue
            source = _noun_phrase(doc, k, j) if j > k else None
            if source is None and j == k:
                source = _noun_phrase(doc, j + 1, _phrase_end(doc, j + 1, limit))
            if source is not None:
                yield RawAttribution(cue=(j, j + 1), source=source, content=(start, end), cue_head=j, confident=True)
            break


def _phrase_end(doc: Doc, start: int, limit: int) -> int:
    """End of the noun phrase starting at ``start``: up to a comma, a clause or the sentence end."""
    k = start
    while k < limit and not doc[k].is_punct and doc[k].pos_ not in ("VERB", "AUX", "ADP", "SCONJ"):
        k += 1
    return k


def _widen_to_quote(rng: Optional[TokRange], regions: list[TokRange]) -> Optional[TokRange]:
    """A content that ends a quotation begun sentences earlier takes in the whole quotation."""
    if rng is None:
        return None
    for start, end in regions:
        if start < rng[0] < end and rng[1] >= end - 1:
            return (start, max(end, rng[1]))
    return rng


def balance_quotes(doc: Doc, rng: TokRange) -> TokRange:
    """A content with an odd number of quote marks takes in the mark (and punctuation) that closes it."""
    start, end = rng
    span = doc[start:end]
    marks = sum(columns(doc).is_quote[span.start:span.end])
    if marks % 2 == 0:
        return rng
    probe = end
    while probe < len(doc) and probe - end < 2 and doc[probe].is_punct and not doc[probe].is_quote:
        probe += 1
    if probe < len(doc) and doc[probe].text in CLOSE_QUOTES:
        return (start, probe + 1)
    if start > 0 and doc[start - 1].text in OPEN_QUOTES:
        return (start - 1, end)
    return rng


DASHES = ("—", "―", "–", "--")


def _lines(doc: Doc) -> Iterator[TokRange]:
    """Token ranges of the text's lines (line-break tokens excluded)."""
    start = 0
    for i, text in enumerate(columns(doc).text):  # a Token is made only where a line is found
        if "\n" in text:
            if i > start:
                yield (start, i)
            start = i + 1
    if start < len(doc):
        yield (start, len(doc))


def _name_like(doc: Doc, start: int, end: int, lexicon: AttributionLexicon) -> bool:
    tokens = doc[start:end]
    if not 0 < len(tokens) <= 4 or tokens[0].lower_ in lexicon.layout_labels:
        return False
    return all((t.is_title or t.is_upper or t.text in (".", "-")) and t.pos_ not in ("VERB", "AUX") for t in tokens)


def find_speaker_lines(doc: Doc, lexicon: AttributionLexicon) -> Iterator[RawAttribution]:
    """Transcripts and headlines: "WALLACE: Let's start ...", "Pat Caddell: Voters Worried ..."."""
    for start, end in _lines(doc):
        first = start + 1 if doc[start].is_quote else start
        colon = next((t.i for t in doc[first:min(end, first + 5)] if t.text == ":"), None)
        if colon is None or colon + 1 >= end or not _name_like(doc, first, colon, lexicon) or _is_dateline(doc, first, colon):
            continue
        stop = end
        while stop > colon + 1 and doc[stop - 1].is_space:
            stop -= 1
        if stop > colon + 2 and doc[stop - 1].text == ".":
            stop -= 1  # "Sanders: Clinton Email Story Has Moved.": what he said, without the line's full stop
        yield RawAttribution(cue=(colon, colon + 1), source=(first, colon), content=(colon + 1, stop),
                             cue_head=colon, confident=True, layout=True)


QUOTE_MARK_CHARS = "“”\"'’‘"


def _credited_name(doc: Doc, k: int, end: int) -> Optional[TokRange]:
    """The name after a credit dash: up to four capitalized words, then the line's end or a comma."""
    i = k + 1
    while i < end and doc[i].is_space:
        i += 1
    first = stop = i
    while stop < end and stop - first < 5 and doc[stop].pos_ not in ("VERB", "AUX") and (
            doc[stop].is_title or doc[stop].is_upper or (stop > first and doc[stop].text in (".", "-"))):
        stop += 1
    while stop > first and doc[stop - 1].text in (".", "-"):
        stop -= 1
    after = stop
    while after < end and doc[after].is_space:
        after += 1
    if stop == first or stop - first > 4 or (after < end and doc[after].text not in (",", ".", "(")):
        return None
    return (first, stop)


# a closing quote mark, then a credit dash: where to look for "“...” ― Jane Doe" (one regex over the text
# instead of a look at every token)
_CREDIT_DASH = re.compile(r"[" + re.escape(QUOTE_MARK_CHARS) + r"][^\S\n]*(?:" + "|".join(map(re.escape, DASHES)) + ")")


def _line_around(doc: Doc, i: int) -> TokRange:
    start, end = i, i + 1
    while start > 0 and "\n" not in doc[start - 1].text:
        start -= 1
    while end < len(doc) and "\n" not in doc[end].text:
        end += 1
    return (start, end)


def find_dash_credits(doc: Doc, lexicon: AttributionLexicon, regions: list[TokRange]) -> Iterator[RawAttribution]:
    """A quotation credited after a dash: "“We will win.” ― Jane Doe". The quotation is the one that
    ends at the dash, or the whole line before the dash when the line opens with a quote mark (a
    quotation with quotations inside, or opened with the wrong mark: "”We will ... win.” ― Jane Doe")."""
    starts = {end: start for start, end in regions}
    done: set[int] = set()
    for match in _CREDIT_DASH.finditer(text_of(doc)):
        span = doc.char_span(match.end() - 1, match.end(), alignment_mode="expand")
        if span is None or span[0].i in done:
            continue
        k = span[0].i
        done.add(k)
        text = doc[k].text
        merged = len(text) > 1 and text[0] in QUOTE_MARK_CHARS and text[1:] in DASHES  # "”―" is one token
        if text not in DASHES and not merged:
            continue
        start, end = _line_around(doc, k)
        prev = k - 1
        while prev > start and doc[prev].is_space:
            prev -= 1
        if k == start or (not merged and not (doc[prev].is_quote or doc[prev].text[-1:] in QUOTE_MARK_CHARS)):
            continue
        source = _credited_name(doc, k, end)
        content_end = k if merged else prev + 1
        content_start = starts.get(content_end)
        if content_start is None and (doc[start].is_quote or doc[start].text[:1] in QUOTE_MARK_CHARS):
            content_start = start
        if source is None or content_start is None or content_end - content_start < 2:
            continue
        yield RawAttribution(cue=(k, k + 1), source=source, content=(content_start, content_end), cue_head=k,
                             confident=True, layout=True)


def find_rule_attributions(doc: Doc, lexicon: AttributionLexicon) -> Iterator[RawAttribution]:
    quoted = quote_depth(doc)
    regions = quote_regions(doc, quoted)
    yield from find_speaker_lines(doc, lexicon)
    yield from find_dash_credits(doc, lexicon, regions)
    yield from find_quote_cues(doc, lexicon, regions)
    for sent in doc.sents:
        yield from find_according_to(sent, lexicon)
        yield from find_as_judgements(sent, lexicon)
        for raw in find_cue_verbs(sent, lexicon, quoted):
            widened = _widen_to_quote(raw.content, regions)
            yield raw if widened == raw.content else replace(raw, content=widened)
