"""Second thoughts on found attributions, whichever finder (rules or CRF) found them.

A grammatical subject is not always the speaker: a relative pronoun stands for the noun it follows
("officials, who say ..."), and a passive subject is what is said, not who says it ("Trump is reported
to have ordered ..."). And some finds are no attribution at all: a cue with no one to speak ("It seemed a
sure policy"), the reader addressed ("the place you call home"), "say" or "speak" with no statement,
an act verb with a plain noun object ("threatened a new incursion"). And a content never holds its own
cue: it is cut into pieces there, or into one attribution per quotation.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Iterator, Optional

from spacy.tokens import Doc, Token

from .lexicon import AttributionLexicon
from .quotes import quote_depth, quote_regions
from .rules import (
    RawAttribution, TokRange, _strip_complementizer, as_complement, balance_quotes,
    infinitive, passive_form, plausible_source, reduced_passive, skip_dateline, subtree_range, trim, verb_subject,
)

Regions = list[TokRange]  # the doc's quotations (``quotes.quote_regions``)

RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
READER = frozenset({"you", "your", "yourself", "yourselves"})
NEEDS_STATEMENT = frozenset({"say", "tell", "speak", "talk"})  # "spoke to the Times", "said goodbye"
MAX_CLIMB = 8  # steps up the parse from a relative clause to the speaker it describes


def is_passive(verb: Token) -> bool:
    """"is believed", "was reported to", and the bare participle "currently thought to be"."""
    return passive_form(verb)


def _plan(doc: Doc, verb: Token, content: Optional[TokRange], lexicon: AttributionLexicon) -> bool:
    """An unsourced passive with an infinitive that is not hearsay ("is believed to", "is said to")."""
    return (content is not None and doc[content[0]].lower_ == "to" and verb.lemma_.lower() not in lexicon.hearsay_verbs
            and as_complement(verb) is None)


def _noun_phrase_before(doc: Doc, noun: Token, stop: int) -> Optional[TokRange]:
    return trim(doc, (noun.left_edge.i, stop), keep_quotes=False)


def relative_antecedent(verb: Token, lexicon: AttributionLexicon, pronoun: str = "who") -> Token:
    """The noun a relative clause's pronoun stands for. The parser often hangs the clause on the last
    noun before it; climb to the speaker it describes: "officials involved in the war against Islamic
    State who say" -> officials; "Charles Lister, director of ... at the Institute, who" -> Lister."""
    noun = verb.head
    if pronoun != "who":
        return noun  # "the council, which voted": a body, not a person further up
    node = noun
    for _ in range(MAX_CLIMB):
        if node.dep_ == "appos":
            return node.head
        if node is not noun and _speaker_like(node, lexicon):
            return node
        if node.dep_ in ("pobj", "pcomp", "prep", "conj", "acl") or (node.dep_ == "compound" and node.head.pos_ in ("NOUN", "PROPN")):
            node = node.head
        else:
            break
    return noun


def _speaker_like(tok: Token, lexicon: AttributionLexicon) -> bool:
    lemma = tok.lemma_.lower()
    return tok.ent_type_ == "PERSON" or lemma in lexicon.role_heads or lemma in lexicon.anonymous_heads


def _source_of_relative(doc: Doc, raw: RawAttribution, lexicon: AttributionLexicon) -> Optional[TokRange]:
    if raw.source is None or raw.source[1] - raw.source[0] != 1:
        return raw.source
    pronoun, verb = doc[raw.source[0]], doc[raw.cue_head]
    if pronoun.lower_ not in RELATIVE_PRONOUNS or pronoun.tag_ not in ("WP", "WDT") or verb.dep_ != "relcl":
        return raw.source
    noun = relative_antecedent(verb, lexicon, pronoun.lower_)
    if noun.i >= pronoun.i:
        return raw.source
    return _noun_phrase_before(doc, noun, pronoun.i) or raw.source


def _passive_roles(doc: Doc, raw: RawAttribution) -> tuple[Optional[TokRange], Optional[TokRange]]:
    """Source and content of a passive cue: the agent ("by the president") or no one; what the subject
    is said to do ("to have ordered ...")."""
    verb = doc[raw.cue_head]
    agent = next((o for c in verb.children if c.dep_ == "agent" for o in c.children if o.dep_ == "pobj"), None)
    source = trim(doc, (agent.left_edge.i, agent.right_edge.i + 1)) if agent is not None else None
    content = raw.content
    clause = next((c for c in verb.children if c.dep_ in ("xcomp", "ccomp")), None)
    if clause is not None and clause.i > verb.i and (content is None or content[0] < verb.i):
        content = _strip_complementizer(doc, trim(doc, (clause.left_edge.i, clause.right_edge.i + 1)))
    return source, content


def _clause(doc: Doc, rng: TokRange, lexicon: AttributionLexicon) -> bool:
    """A proposition: a clause, a quotation, a statement noun ("rejected the claim") or a noun with a
    "that" clause ("claims that ...")."""
    span = doc[rng[0]:rng[1]]
    root = span.root
    if root.pos_ in ("VERB", "AUX") or any(t.is_quote for t in span) or root.lemma_.lower() in lexicon.cue_nouns:
        return True
    return any(t.dep_ == "mark" and t.lower_ in ("that", "whether", "if") for t in span)


def _without_time(doc: Doc, source: Optional[TokRange]) -> Optional[TokRange]:
    """"Anna Ortiz, a spokeswoman for the EU, on Tuesday": the time is when she spoke, not who she is."""
    if source is None:
        return None
    for k in range(source[0] + 1, source[1]):
        # "on Tuesday", ", last week" closes the phrase; "the 34-year-old" is a description
        if doc[k].ent_type_ in ("DATE", "TIME") and doc[k].ent_iob_ == "B" and (doc[k - 1].pos_ == "ADP" or doc[k - 1].is_punct):
            cut = k - 1 if doc[k - 1].pos_ == "ADP" else k
            return trim(doc, (source[0], cut), keep_quotes=False) or source
    return source


def _without_dateline(doc: Doc, source: Optional[TokRange]) -> Optional[TokRange]:
    """"BRUSSELS - European ministers said": the dateline is no part of the source."""
    if source is None:
        return None
    start = skip_dateline(doc, source[0])
    return (trim(doc, (start, source[1])) or source) if source[0] < start < source[1] else source


def _outside(doc: Doc, source: Optional[TokRange], content: Optional[TokRange]) -> Optional[TokRange]:
    """A source never runs into its content ("described by the minister as a turning point")."""
    if source is None or content is None or not source[0] < content[0] < source[1]:
        return source
    end = content[0]
    while end > source[0] + 1 and (doc[end - 1].pos_ == "ADP" or doc[end - 1].is_punct):
        end -= 1
    return trim(doc, (source[0], end)) or source


def _without_possessive(doc: Doc, source: Optional[TokRange]) -> Optional[TokRange]:
    """"The mayor’s claim": the mayor."""
    if source is None or source[1] - source[0] < 2 or doc[source[1] - 1].tag_ != "POS":
        return source
    return (source[0], source[1] - 1)


EXPLETIVES = frozenset({"it", "there", "this", "that", "what", "which"})


def _parsed_subject(doc: Doc, verb: Token, content: Optional[TokRange],
                    lexicon: AttributionLexicon) -> Optional[TokRange]:
    """The subject of ``verb`` (climbing through a participle or conjunct to the verb it hangs from)
    as a source: a phrase that can name a speaker, outside the content, not an expletive ("It seemed")."""
    subject, _ = verb_subject(verb)
    if subject is None or subject.lower_ in EXPLETIVES or not plausible_source(subject, lexicon):
        return None
    if content is not None and content[0] <= subject.i < content[1]:
        return None
    return trim(doc, subtree_range(subject, content), keep_quotes=False)


RAISED = frozenset({"xcomp", "acomp", "oprd", "attr", "ccomp", "prep"})  # "seems to", "seemed unperturbed"


def _impression(doc: Doc, raw: RawAttribution, lexicon: AttributionLexicon) -> Optional[list[TokRange]]:
    """"Trump's supporters seemed equally unperturbed": a raising verb's content is its subject and what
    follows the cue in the verb's clause (None for another verb, an expletive "it" or no such pieces)."""
    verb = doc[raw.cue_head]
    if verb.lemma_.lower() not in lexicon.raising_verbs:
        return None
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.lower_ in EXPLETIVES or subject.right_edge.i >= raw.cue[0]:
        return None
    # what it seems: the complement, not an adjunct after it ("appear to have brought stability, although ...")
    complement = next((c for c in verb.children if c.dep_ in RAISED and c.i >= raw.cue[0]), None)
    if complement is None:
        return None
    first = trim(doc, (subject.left_edge.i, subject.right_edge.i + 1))
    rest = trim(doc, (raw.cue[1], complement.right_edge.i + 1))
    return [first, rest] if first is not None and rest is not None else None


def _imperative(verb: Token) -> bool:
    """"Read the rest ...", "Just ask him": a bare verb with no subject or auxiliary of its own."""
    return verb.tag_ == "VB" and not any(c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children)


def _generic_you(head: Token, verb: Token) -> bool:
    """"the place you call home", "if you're wondering": the reader, not a source. A "you" told of a
    past statement ("Senator, you said last week ...") is the person addressed, and stays."""
    if head.lower_ not in READER:
        return False
    present = verb.tag_ in ("VBP", "VBZ") or any(c.dep_ == "aux" and c.tag_ in ("VBP", "VBZ") for c in verb.children)
    return present or verb.dep_ == "relcl"


def _complement_clause(verb: Token) -> bool:
    return verb.dep_ == "ccomp" and any(c.dep_ == "mark" for c in verb.children)


def _has_statement(doc: Doc, rng: Optional[TokRange]) -> bool:
    if rng is None:
        return False
    return any(t.pos_ in ("VERB", "AUX") or t.is_quote for t in doc[rng[0]:rng[1]])


TOPIC_PREPOSITIONS = frozenset({"about", "of", "against"})


def _spoken_topic(doc: Doc, cue: TokRange, content: Optional[TokRange]) -> bool:
    """"spoke about the need for ...", "talked of reforms", "spoke out against Trump": the cue ends on
    the preposition and the content is the topic after it (not "spoke to the Herald")."""
    return (content is not None and cue[1] - cue[0] > 1 and doc[cue[1] - 1].lower_ in TOPIC_PREPOSITIONS
            and content[0] >= cue[1] and not doc[content[0]].is_punct)


def _substantial(doc: Doc, rng: Optional[TokRange], words: int = 2) -> bool:
    return rng is not None and sum(1 for t in doc[rng[0]:rng[1]] if not (t.is_punct or t.is_space)) >= words


def split_at_cue(doc: Doc, cue: TokRange, source: Optional[TokRange], content: Optional[TokRange],
                 fragments: tuple[TokRange, ...] = (), words: int = 2) -> tuple[list[TokRange], list[TokRange]]:
    """The content's pieces before and after its own cue (and source), when it runs over them
    ('"A," she said. "B"'); two empty lists when the content does not hold the cue. A piece has at
    least ``words`` words."""
    if content is None or not (content[0] < cue[0] and cue[1] < content[1]):
        return [], []
    lo, hi = cue
    if source is not None and content[0] <= source[0] < content[1]:
        lo, hi = min(lo, source[0]), max(hi, source[1])
    before, after = [], []
    for start, end in fragments or (content,):
        left = trim(doc, (start, min(end, lo)), lead_words=True)
        right = trim(doc, (max(start, hi), end), lead_words=True)
        if left is not None and _substantial(doc, left, words):
            before.append(balance_quotes(doc, left))
        if right is not None and _substantial(doc, right, words):
            after.append(balance_quotes(doc, right))
    return before, after


CUE_ADJUNCTS = frozenset({"advcl", "prep", "npadvmod", "advmod", "acl"})


def _cue_adjunct(doc: Doc, cue: TokRange, cue_head: int, piece: TokRange) -> bool:
    """A piece after the cue that is no quotation and hangs from the cue verb as an adjunct, also
    further down ("..., she said, moving along the street", "..., he said, under Article 21", "..., he
    said, before adding that ...") or from a word of the cue ("said with | a smile")."""
    if piece[0] <= cue_head or doc[piece[0]].is_quote:
        return False
    node = doc[piece[0]:piece[1]].root
    for _ in range(MAX_CLIMB):
        if cue[0] <= node.head.i < cue[1] and node.head.i != cue_head:
            # "says of | the race": a cue ending on "of"/"about" has its topic after it
            return not (node.head.i == cue[1] - 1 and node.head.lower_ in TOPIC_PREPOSITIONS)
        if node.head.i == cue_head:
            return node.dep_ in CUE_ADJUNCTS
        if node.head is node:
            return False
        node = node.head
    return False


def _pieces(raw: RawAttribution) -> list[TokRange]:
    """The content's pieces: its fragments, or the content as one piece (none when there is none)."""
    return list(raw.content_fragments or ((raw.content,) if raw.content is not None else ()))


def _as_content(raw: RawAttribution, source: Optional[TokRange], pieces: list[TokRange]) -> RawAttribution:
    return replace(raw, source=source, content=(pieces[0][0], pieces[-1][1]),
                   content_fragments=tuple(pieces) if len(pieces) > 1 else ())


def _new_quotation(doc: Doc, cue: TokRange, piece: TokRange) -> bool:
    """The piece after a cue opens a quotation, or starts a sentence of its own."""
    return doc[piece[0]].is_quote or doc[piece[0]].sent.start != doc[cue[0]].sent.start


def names_an_act(doc: Doc, cue_head: int, content: Optional[TokRange], lexicon: AttributionLexicon) -> bool:
    """"threatened a new incursion", "condemned the decision": a clause-only cue verb with a plain noun
    object names an act (an event), not a statement."""
    verb = doc[cue_head]
    return (verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in lexicon.clause_verbs
            and content is not None and not _clause(doc, content, lexicon))


def states_something(doc: Doc, raw: RawAttribution, lexicon: AttributionLexicon) -> bool:
    """What a verb cue attributes is a statement: a clause, a quotation, a statement noun, the noun a
    relative clause modifies, or the object of a verb whose object is what is said ("claimed
    responsibility"). Not "called Ms. Lee on Friday", "maintains a programme", "supported the plan"."""
    verb = doc[raw.cue_head]
    if (raw.content is None or verb.pos_ not in ("VERB", "AUX") or raw.content[1] <= raw.cue[0]
            or as_complement(verb) is not None or doc[raw.cue[1] - 1].lower_ == "as"):
        return True  # "regards them as a threat": a judgement
    return _clause(doc, raw.content, lexicon) or verb.lemma_.lower() in lexicon.object_verbs


def revise(doc: Doc, raws: Iterable[RawAttribution], lexicon: AttributionLexicon, *,
           name_relatives: bool = True, acts: bool = False, unsourced: bool = False,
           passive_subjects: bool = False, bare_speech: bool = False) -> Iterator[RawAttribution]:
    """The attributions with sources, contents and drops corrected (see the module's docstring).
    ``name_relatives=False`` keeps a relative pronoun as the source ("who say ..."), ``acts=True``
    keeps an act verb with a noun object ("condemned the decision"), ``unsourced=True`` a forecast or
    an impression no one is named for ("is expected to win", "seemed unperturbed"), and ``passive_subjects=True``
    makes a passive cue's subject the content's first piece ("North Korea" / "to be capable of"), as
    PolNeAR marks them; ``bare_speech=True`` keeps a "said" with a source and no content found."""
    for raw in raws:
        verb = doc[raw.cue_head]
        subject_piece: Optional[TokRange] = None
        is_verb = verb.pos_ in ("VERB", "AUX")
        source = _source_of_relative(doc, raw, lexicon) if is_verb and name_relatives else raw.source
        content = raw.content
        if is_verb and is_passive(verb):
            subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
            said = raw.source
            inside = said is not None and verb.left_edge.i <= said[0] <= verb.right_edge.i
            # '"...," a CNN source stated': a report after its quotation, whatever the parser's tags
            inside = inside or (said is not None and raw.content is not None and raw.content[1] <= said[0])
            # the passive's subject, or a phrase outside its clause ("Witnesses said ... what was seen as"),
            # is who or what is spoken of; only the agent ("by the president") speaks
            if said is None or not inside or (subject is not None and subject.left_edge.i <= said[0] <= subject.right_edge.i):
                source, content = _passive_roles(doc, raw)
                if passive_subjects and subject is not None:
                    subject_piece = _subject_piece(doc, verb, subject, source, content)
                clausal = any(c.dep_ in ("xcomp", "ccomp") for c in verb.children) or as_complement(verb) is not None
                if source is None and not clausal:
                    continue  # "The planned pullout was announced": no one says, nothing is said
                if source is None and not unsourced and _plan(doc, verb, content, lexicon):
                    continue  # "were intended to provide", "can be expected to abandon": a plan or forecast
        elif is_verb and reduced_passive(verb, lexicon):
            # "The militia, said to number 10,000 fighters, ...": the parser's subject is who is spoken of
            source, content = None, _strip_complementizer(doc, trim(doc, infinitive(verb)))
        elif is_verb and source is None and unsourced and (pieces := _impression(doc, raw, lexicon)):
            yield _as_content(raw, None, pieces)  # "Trump's supporters | seemed | equally unperturbed"
            continue
        elif is_verb and source is None:
            # '"...," he said, citing a poll', "went to school with her and told stories": the subject
            # the parse gives the verb, or the verb it hangs from, speaks when it can name a speaker
            source = _parsed_subject(doc, verb, content, lexicon)
            # "Remember those forces ...", "It seemed a sure policy": a cue needs a speaker; PolNeAR's
            # convention (``unsourced``) keeps a report whose speaker the parse lost ('..., saying he ...',
            # "in explaining why ..."), not an imperative ("Read the rest of the story at ...")
            if source is None and (not unsourced or _imperative(verb)):
                continue
        if verb.pos_ == "ADV" and raw.cue[1] - raw.cue[0] == 1:
            source = None  # "They reportedly employed ...": the report's source is not named, "they" acted
        if (source is not None and content is not None and content[0] <= source[0] and source[1] <= content[1]
                and not content[0] <= raw.cue[0] < content[1]):
            continue  # "Asked if he is a member, ...": who is spoken of, not who speaks
        if is_verb and content is not None and content[1] <= raw.cue[0] and _complement_clause(verb):
            continue  # "..., who pointed out that Isis had claimed": the clause before is not what Isis claimed
        if source is not None and _generic_you(doc[source[0]:source[1]].root, verb):
            continue
        if (is_verb and verb.lemma_.lower() in NEEDS_STATEMENT and not _has_statement(doc, content)
                and not (bare_speech and content is None and source is not None)
                and not _spoken_topic(doc, raw.cue, content)):
            continue
        if not acts and names_an_act(doc, raw.cue_head, content, lexicon):
            continue  # "threatened a new incursion", "condemned the decision": an act, not a statement
        source = _without_possessive(doc, _outside(doc, _without_time(doc, _without_dateline(doc, source)), content))
        if content is not None and raw.channel is not None and content[0] < raw.channel[0] < content[1] <= raw.channel[1] + 1:
            content = trim(doc, (content[0], raw.channel[0]))  # "denied ... in a statement to the Monitor"
            if content is None:
                continue
        # pieces found for a content that a step above replaced (a passive's clause, a channel cut off)
        # are no pieces of the new one
        fragments = raw.content_fragments if content == raw.content else ()
        before, after = split_at_cue(doc, raw.cue, source, content, fragments, words=1)
        if not (before and after and not _new_quotation(doc, raw.cue, after[0])):
            # one word on one side of the cue is a content of its own only as one clause's piece
            before = [p for p in before if _substantial(doc, p)]
            after = [p for p in after if _substantial(doc, p)]
        if before and after and doc[before[0][0]].is_quote and _cue_adjunct(doc, raw.cue, raw.cue_head, after[-1]):
            # '"Did you shoot him?" she said, moving along the street': how she said it, not what
            after = after[:-1]
        if before and after and not _new_quotation(doc, raw.cue, after[0]):
            # "Granting a fair trial would, said Carlile, also contribute ...": one content in two pieces
            yield _as_content(raw, source, before + after)
            continue
        if before or after:
            # '"A," she said. "B."': each quotation is attributed to her
            for pieces in (before, after):
                if pieces:
                    yield _as_content(raw, source, pieces)
            continue
        if content is not None and not fragments:
            content = _strip_complementizer(doc, content)  # the analyzer's content starts after "that"
            if content is not None:
                content = complete_phrase(doc, raw.cue, source, content)
            # a content that was its complementizer alone ("If", the tagger's piece before the cue) has none
            front = (subject_piece or fronted_piece(doc, raw.cue, source, content)) if content is not None else None
            if front is not None:
                # "Hawaii, as advisers pointed out, rarely gets ...": the clause began before its cue
                yield _as_content(raw, source, [front, content])
                continue
        if source != raw.source or content != raw.content:
            raw = replace(raw, source=source, content=content, content_fragments=fragments if content == raw.content else ())
        yield raw


def _subject_piece(doc: Doc, verb: Token, subject: Token, source: Optional[TokRange],
                   content: Optional[TokRange]) -> Optional[TokRange]:
    """The passive's subject as a piece of its content, when it stands before the cue and the rest of
    the content after it ("North Korea is not thought to be capable" -> "North Korea")."""
    if content is None or subject.i > verb.i or content[0] <= verb.i:
        return None
    root = doc[content[0]:content[1]].root
    if root.dep_ == "ccomp" or any(c.dep_ == "mark" for c in root.children):
        return None  # "I was told that ...", "It was reported that ...": a clause of its own, without them
    piece = trim(doc, (subject.left_edge.i, subject.right_edge.i + 1))
    if piece is None or (source is not None and piece[0] < source[1] and source[0] < piece[1]):
        return None
    return piece


# what a cut-off phrase may be to the word of the content it hangs from: its clause, object or modifier
# (an adjunct, "in an interview", "and tells the crowd", is more often the cue's, whatever the parse)
PHRASE_PARTS = frozenset({"relcl", "acl", "dobj", "pobj", "compound", "nmod", "amod", "poss", "det", "xcomp",
                          "ccomp", "nummod", "quantmod"})


def complete_phrase(doc: Doc, cue: TokRange, source: Optional[TokRange], content: TokRange) -> TokRange:
    """A content that stops in the middle of a phrase, before a word that hangs from one of its own
    ("disparaging remarks | Trump had made about her", "a wake-up call to | his supporters"), runs on
    to the end of that phrase: never over its cue or source, nor past the sentence."""
    start, end = content
    sent_end = doc[end - 1].sent.end
    if end >= sent_end or doc[end].is_punct or doc[end].is_space:
        return content
    limit = sent_end
    for rng in (cue, source):
        if rng is not None and rng[0] >= end:
            limit = min(limit, rng[0])
    if doc[end - 1].is_quote and end - start > 1 and doc[end - 2].is_punct:
        return content  # '“self-deportation,” which ...': the quotation closed the content
    node, child = doc[end], doc[end]
    for _ in range(MAX_CLIMB):
        if node.head is node:
            return content
        child, node = node, node.head
        if start <= node.i < end:
            break
    else:
        return content
    if not start <= node.i < end or child.dep_ not in PHRASE_PARTS:
        return content  # "and praised ...", "in an interview", "Tuesday": how or when it was said
    new_end = node.right_edge.i + 1
    if new_end > limit:
        return content  # the phrase holds the cue or its source ("the examples that critics point to")
    if new_end <= end:
        return content
    longer = trim(doc, (start, new_end))
    # a quotation the phrase opens closes after its punctuation, which hangs elsewhere ('... “to rubble.”')
    return balance_quotes(doc, longer) if longer is not None else content


MAX_FRONTED = 25  # tokens of a content's clause before its cue; more is a parse gone astray


def fronted_piece(doc: Doc, cue: TokRange, source: Optional[TokRange], content: TokRange) -> Optional[TokRange]:
    """The words of the content's own clause that come before its cue and source: a cue set in the
    middle of what it attributes ("All of this, he acknowledges, could be undone" -> "All of this"),
    or a relative or question word the clause begins with ("which, she said, is full", "what Trump
    says his plan would do" -> "which", "what"). None when the content's clause starts after its cue."""
    if content[0] < cue[1]:
        return None
    stop = min(cue[0], source[0]) if source is not None else cue[0]
    head = doc[content[0]:content[1]].root
    start = head.left_edge.i
    if start >= stop or stop - start > MAX_FRONTED or doc[start].sent.start != doc[cue[0]].sent.start:
        return None
    if source is not None and start < source[1] and source[0] < stop and source[0] < start:
        return None
    if content[1] > head.right_edge.i + 2:
        return None  # the content is not one clause (a parse that hangs it elsewhere)
    cue_head = doc[cue[0]:cue[1]].root
    # the cue hangs inside the content's clause ("All of this, he acknowledges, could"), or the clause
    # begins with its question word ("what Trump says his plan would do")
    inside = any(a == head for a in cue_head.ancestors)
    if not inside and not (doc[start].tag_ == "WP" and head.pos_ in ("VERB", "AUX")):
        return None
    piece = trim(doc, (start, stop))  # a sentence's opening "But" joins it to the one before, not to the content
    if piece is None or all(doc[k].is_punct for k in range(*piece)):
        return None
    # a clause of its own before the cue ("X denied it, and, he said, ...") is not the content's
    if any(doc[k].dep_ in ("ccomp", "conj", "ROOT") and not piece[0] <= doc[k].head.i < piece[1] for k in range(*piece)):
        return None
    return piece


# what a noun phrase before its cue is when it is not the content's: where or when it was said
# ("“Hannity,” he said", "Sunday on CNN's ...", "About 4 in 10 say"), not what
SETTING_DEPS = frozenset({"pobj", "npadvmod", "nmod", "appos", "nummod"})


def without_setting_piece(doc: Doc, raws: list[RawAttribution]) -> list[RawAttribution]:
    """A content in pieces around its cue loses a first piece that is a noun phrase of the setting: a
    show's title, a time, a count of the speakers (a relative or question word stays: "which", "what")."""
    out = []
    for raw in raws:
        pieces = raw.content_fragments
        if len(pieces) < 2 or pieces[0][1] > raw.cue[0] or pieces[1][0] < raw.cue[1]:
            out.append(raw)
            continue
        root = doc[pieces[0][0]:pieces[0][1]].root
        if root.dep_ not in SETTING_DEPS or root.tag_ in ("WP", "WDT", "WRB"):
            out.append(raw)
            continue
        out.append(_as_content(raw, raw.source, list(pieces[1:])))
    return out


def as_clause_contents(doc: Doc, raws: list[RawAttribution]) -> list[RawAttribution]:
    """"..., as Clinton's supporters point out", "And as the senator noted, the rulings have ...": a
    speaker's "as" clause attributes the clause it hangs from, when the tagger found no content: its
    words either side of the "as" clause that hold its verb or subject."""
    out = []
    for raw in raws:
        verb = doc[raw.cue_head]
        if (raw.content is not None or raw.source is None or verb.dep_ != "advcl" or verb.head is verb
                or not any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children)):
            out.append(raw)
            continue
        head = verb.head
        core = {head.i} | {c.i for c in head.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl")}
        pieces = []
        for rng in ((head.left_edge.i, verb.left_edge.i), (verb.right_edge.i + 1, head.right_edge.i + 1)):
            piece = trim(doc, rng) if rng[0] < rng[1] else None
            if piece is not None and any(piece[0] <= k < piece[1] for k in core):
                pieces.append(piece)
        out.append(_as_content(raw, raw.source, pieces) if pieces else raw)
    return out


def before_next_quotation(doc: Doc, raws: list[RawAttribution], regions: Regions) -> list[RawAttribution]:
    """An unquoted content that runs on into a later sentence opening a quotation ends with its own
    sentence ("he said the tax was fair. “We need the money.”"): the quotation is said to be his by
    what follows it, or is a report of its own (``continued_quotations``)."""
    opens = {r[0] for r in regions}
    if not opens:
        return raws
    out = []
    for raw in raws:
        pieces = _pieces(raw)
        if not pieces or doc[pieces[-1][0]].is_quote:
            out.append(raw)
            continue
        start, end = pieces[-1]
        cut = next((k for k in range(start + 1, end) if k in opens and doc[k].is_sent_start), None)
        piece = trim(doc, (start, cut)) if cut is not None else None
        if piece is None:
            out.append(raw)
            continue
        pieces[-1] = piece
        out.append(_as_content(raw, raw.source, pieces))
    return out


OPENER_DEPS = frozenset({"cc", "advmod"})  # "And ...", "Still, ...": what joins the sentence to the last


def according_to_sentence(doc: Doc, raws: list[RawAttribution]) -> list[RawAttribution]:
    """"In 2014, about 82 percent of ..., according to the FBI": what an "according to" at the end of
    its clause attributes starts with the sentence (after an opening "And" or "Still,"), unless another
    cue of the sentence stands before it."""
    cue_tokens = {i for r in raws for i in range(*r.cue)}
    out = []
    for raw in raws:
        content = raw.content
        if (content is None or raw.content_fragments or doc[raw.cue[0]].lower_ != "according"
                or content[1] > raw.cue[0] or raw.cue[0] - content[1] > 2):
            out.append(raw)
            continue
        start = doc[raw.cue[0]].sent.start
        while start < content[0] and (doc[start].dep_ == "cc" or (
                doc[start].dep_ in OPENER_DEPS and doc[start + 1].is_punct)):
            start += 2 if doc[start + 1].is_punct else 1
        if start >= content[0] or any(k in cue_tokens for k in range(start, content[0])):
            out.append(raw)
            continue
        out.append(replace(raw, content=(start, content[1])))
    return out


def after_according_to(doc: Doc, raws: list[RawAttribution]) -> list[RawAttribution]:
    """"According to the FBI's summary, two aides asked ...": what an opening "according to" attributes
    begins after the phrase it opens (a content found inside that phrase starts too early), and is
    the rest of the sentence when none was found."""
    out = []
    for raw in raws:
        word = doc[raw.cue[0]]
        sent = word.sent
        if word.lower_ != "according" or word.i != _first_word(doc, sent.start) or raw.content_fragments:
            out.append(raw)
            continue
        edge = word.right_edge.i + 1
        while edge < sent.end and doc[edge].is_punct and not doc[edge].is_quote:
            edge += 1
        content = raw.content
        if content is not None and (content[0] < raw.cue[1] or content[0] >= edge or content[1] <= edge):
            out.append(raw)
            continue
        rest = trim(doc, (edge, content[1] if content is not None else sent.end))
        out.append(replace(raw, content=rest) if rest is not None else raw)
    return out


def _first_word(doc: Doc, start: int) -> int:
    """The sentence's first token that is no punctuation, quotation mark or space ("And according to")."""
    k = start
    while k < len(doc) and (doc[k].is_punct or doc[k].is_space or doc[k].dep_ == "cc"):
        k += 1
    return k


def within_paragraph(doc: Doc, raws: list[RawAttribution]) -> list[RawAttribution]:
    """'“A,” she said.\n\n“B,” she added.': a quotation before its cue is joined by no quotation of a
    later paragraph that another cue reports."""
    quoted_before = {r.cue for r in raws if r.content is not None and r.content[1] <= r.cue[0]
                     and doc[r.content[0]].is_quote}
    if not quoted_before:
        return raws
    def reported(r: RawAttribution) -> bool:
        return any(o.cue != r.cue and o.content is not None and o.content[0] < r.content[1] and r.content[0] < o.content[1]
                   for o in raws)
    return [r for r in raws if r.cue not in quoted_before or r.content is None or r.content[0] < r.cue[1]
            or not any("\n" in doc[k].text for k in range(r.cue[1], r.content[0])) or not reported(r)]


def closed_quotations(doc: Doc, raws: list[RawAttribution], regions: Regions) -> list[RawAttribution]:
    """A content that opens a quotation ends where the quotation closes, also sentences later ('he said
    the plan "would not work. Nobody wants it."'): the tagger's window and its sentence-bound labels
    often stop at the first full stop. Never over the attribution's own cue or source."""
    if not regions:
        return raws
    out = []
    for raw in raws:
        pieces = _pieces(raw)
        if not pieces:
            out.append(raw)
            continue
        start, end = pieces[-1]
        region = next((r for r in regions if start <= r[0] < end < r[1]), None)
        blocked = region is not None and any(
            rng is not None and end <= rng[0] < region[1] for rng in (raw.cue, raw.source))
        if region is None or blocked:
            out.append(raw)
            continue
        pieces[-1] = (start, region[1])
        out.append(_as_content(raw, raw.source, pieces))
    return out


def finish_contents(doc: Doc, raws: list[RawAttribution]) -> list[RawAttribution]:
    """The content steps that follow the naming of the sources, in order; the quotation regions are
    found once for the three that read them."""
    regions = quote_regions(doc, quote_depth(doc))
    for step in (as_clause_contents, after_according_to, according_to_sentence, without_setting_piece):
        raws = step(doc, raws)
    raws = before_next_quotation(doc, closed_quotations(doc, raws, regions), regions)
    return continued_quotations(doc, within_paragraph(doc, raws), regions)


MAX_CONTINUED = 3  # quotations a speaker's cue carries on to


def _after_report(doc: Doc, raw: RawAttribution, starts: dict) -> int:
    """Where the quotations that continue a report may begin: the end of the cue's sentence, or, when
    the parser ended that sentence inside the speaker's description ('said Jo Kim, who flew in with
    the family of Amir Lee, another freed man.'), the end of that description and its punctuation."""
    k = doc[raw.cue_head].sent.end
    if raw.source is None or raw.source[0] < raw.cue[0] or k in starts:
        return k
    j = doc[raw.source[0]:raw.source[1]].root.right_edge.i + 1
    while j < len(doc) and (doc[j].is_punct and not doc[j].is_quote or doc[j].is_space and "\n" not in doc[j].text):
        j += 1
    return j if j in starts else k


def continued_quotations(doc: Doc, raws: list[RawAttribution], regions: Optional[Regions] = None) -> list[RawAttribution]:
    """'"A," said X. "B." "C."': the quotations that follow a quoted speaker's cue in the same paragraph,
    with no cue of their own, are X's too, one attribution each."""
    if regions is None:
        regions = quote_regions(doc, quote_depth(doc))
    if not regions:
        return raws
    cue_tokens = {i for r in raws for i in range(*r.cue)}
    covered = {i for r in raws if r.content is not None for i in range(*r.content)}
    starts = {start: (start, end) for start, end in regions}
    out = list(raws)
    for raw in raws:
        if raw.content is None or raw.content[1] > raw.cue[0] or not doc[raw.content[0]].is_quote:
            continue
        k = _after_report(doc, raw, starts)
        for _ in range(MAX_CONTINUED):
            while k < len(doc) and doc[k].is_space and "\n" not in doc[k].text:
                k += 1
            region = starts.get(k)
            if region is None or any(i in cue_tokens or i in covered for i in range(*region)):
                break
            out.append(replace(raw, content=region, content_fragments=(), channel=None))
            covered.update(range(*region))
            k = doc[region[1] - 1].sent.end if region[1] < len(doc) else len(doc)
    return out
