"""Attributions: who says what. Source, cue, content, quote type, stance, channel, nesting.

``extract_attributions(doc, extractor)`` runs the statistical span tagger when the extractor carries one
(``extractor.model_name`` says so) and the dependency rules otherwise; both yield the same records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Optional

from spacy.tokens import Doc

from ...records import Attribution
from ..actors import ActorLexicon
from ..doc_views import sentences
from .boundaries import BoundaryModel, load_boundary_model
from .crf import MODEL_VERSION, CrfTagger, load_tagger
from .finish import finish
from .lexicon import AttributionLexicon
from .nouns import find_noun_cues
from .pronouns import name_pronoun_sources
from .quotes import quote_depth
from .revise import finish_contents, names_an_act, revise, states_something
from .rules import RawAttribution, find_rule_attributions

__all__ = ["AttributionExtractor", "extract_attributions", "raw_attributions"]


@dataclass(frozen=True)
class AttributionExtractor:
    """What attribution extraction reads: the word lists, the tagger (if shipped) and the actor names.

    ``actors`` (optional) tells persons, bodies and outlets apart when typing sources.
    """

    lexicon: AttributionLexicon
    tagger: Optional[CrfTagger] = field(default=None, compare=False, repr=False)
    actors: Optional[ActorLexicon] = field(default=None, compare=False, repr=False)
    # With a tagger: also keep the rules' confident attributions at cues the tagger missed. On by default
    # (the analyzer should not miss a plain "X said that ..."); PolNeAR scores are higher without it.
    add_rule_cues: bool = True
    # "Mattis did not mention it, but he warned ...": the source is the name the sentence gives, and
    # "officials, who say ...": the officials (the real-news convention); off, the pronoun, personal
    # or relative, stays the source (PolNeAR's convention).
    name_pronouns: bool = True
    # "condemned the decision", "endorses Clinton": an act verb with a noun object is an event, not an
    # attribution (the real-news convention); on, the tagger's such cues stay (PolNeAR marks them).
    acts: bool = False
    # "Clinton is expected to win", "Trump's supporters seemed unperturbed": a forecast or an impression
    # no one is named for is no report of anyone's words (the real-news convention); on, it stays an
    # attribution without a source, its content the subject and what is expected or seems of it, as
    # PolNeAR marks them.
    unsourced: bool = False
    # With a tagger: '"...," he told reporters' where the role tagger found no content: off, dropped (it
    # reports nothing); on, kept with its source, as PolNeAR scores a cue and its source on their own.
    bare_speech: bool = False
    # "North Korea is not thought to be capable of ...": on, the passive's subject is the content's first
    # piece ("North Korea" / "to be capable of ...", PolNeAR's convention); off, the content is what the
    # subject is said to do or be (the real-news convention).
    passive_subjects: bool = False
    # With a tagger and the rules' extra cues: also an extra cue inside the content of another
    # attribution ("Clinton said she thinks ..."). On by default (the real-news gold marks them); off,
    # they are left out, as PolNeAR's annotators rarely mark a cue nested in another's content.
    nested_rule_cues: bool = True
    # With a tagger: where each content ends, chosen again by the learned boundary model
    # (``boundaries.py``). Off by default: +0.3 content exact F1 on PolNeAR dev for about a third more
    # attribution time.
    boundaries: Optional[BoundaryModel] = field(default=None, compare=False, repr=False)

    @classmethod
    def load(cls, *, use_model: bool = True, add_rule_cues: bool = True, name_pronouns: bool = True,
             acts: bool = False, actors: Optional[ActorLexicon] = None, boundaries: bool = False,
             passive_subjects: bool = False, nested_rule_cues: bool = True,
             unsourced: bool = False, bare_speech: bool = False) -> "AttributionExtractor":
        tagger = load_tagger() if use_model else None
        return cls(AttributionLexicon.load(), tagger, actors, add_rule_cues, name_pronouns, acts, unsourced,
                   bare_speech, passive_subjects, nested_rule_cues,
                   load_boundary_model() if tagger is not None and boundaries else None)

    @property
    def model_name(self) -> str:
        """Which attribution model produced the output: "rules" or "rules+crf-polnear-v1"."""
        return f"rules+{MODEL_VERSION}" if self.tagger is not None else "rules"


def raw_attributions(doc: Doc, extractor: AttributionExtractor) -> list[RawAttribution]:
    """Token ranges of every attribution found, before typing and linking."""
    lexicon = extractor.lexicon
    rules = list(find_rule_attributions(doc, lexicon))
    nouns = [raw for sent in sentences(doc) for raw in find_noun_cues(sent, lexicon)]
    if extractor.tagger is None:
        raws = revise(doc, _dedupe(rules + nouns), lexicon, name_relatives=extractor.name_pronouns,
                      acts=extractor.acts, unsourced=extractor.unsourced, passive_subjects=extractor.passive_subjects)
        return _finish_sources(doc, list(raws), extractor)
    tagged = extractor.tagger.attributions(doc, lexicon, rules, extractor.bare_speech)
    # Typographic conventions the CRF was not built to see are always kept; other confident rules
    # only when asked (the default).
    layout = [r for r in rules if r.layout]
    # A cue inside a quotation is the quoted speaker's own ("we say, because we are a team"): the
    # tagger decides those; a rule alone does not report them.
    quoted = quote_depth(doc)
    extra = ([r for r in rules + nouns if r.confident and not r.layout and not quoted[r.cue_head]
              and not names_an_act(doc, r.cue_head, r.content, lexicon)  # the tagger's acts only, when they are kept
              and states_something(doc, r, lexicon)]
             if extractor.add_rule_cues else [])
    if not extractor.nested_rule_cues:
        extra = [r for r in extra if not _nested(r, layout + tagged + extra)]
    raws = revise(doc, _dedupe(layout + tagged + extra), lexicon, name_relatives=extractor.name_pronouns,
                  acts=extractor.acts, unsourced=extractor.unsourced, passive_subjects=extractor.passive_subjects,
                  bare_speech=extractor.bare_speech)
    raws = _finish_sources(doc, list(raws), extractor)
    return extractor.boundaries.revise(doc, raws) if extractor.boundaries is not None else raws


def _finish_sources(doc: Doc, raws: list[RawAttribution], extractor: AttributionExtractor) -> list[RawAttribution]:
    raws = _without_cue_sources(raws)
    if extractor.name_pronouns:
        raws = name_pronoun_sources(doc, raws, extractor.lexicon)
    return finish_contents(doc, raws)


def _without_cue_sources(raws: list[RawAttribution]) -> list[RawAttribution]:
    """"Fears are growing that ...": a source that is itself a cue of the same content is no speaker."""
    cues = [(r.cue, r.content) for r in raws if r.source is None and r.content is not None]
    return [r for r in raws if r.source is None or r.content is None
            or not any(r.source[0] <= cue[0] and cue[1] <= r.source[1] and _overlaps(content, r.content) for cue, content in cues)]


def _nested(raw: RawAttribution, others: list[RawAttribution]) -> bool:
    """The cue lies inside the content of another attribution ("Clinton said [she thinks ...]")."""
    return any(o.content is not None and o.cue != raw.cue and o.content[0] <= raw.cue_head < o.content[1]
               for o in others)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _dedupe(raws: list[RawAttribution]) -> list[RawAttribution]:
    """One attribution per cue: the first finder to claim a cue token keeps it."""
    seen: set[int] = set()
    out = []
    for raw in raws:
        cue_tokens = set(range(*raw.cue))
        if cue_tokens & seen:
            continue
        seen |= cue_tokens
        out.append(raw)
    return out


def extract_attributions(doc: Doc, extractor: AttributionExtractor) -> Iterator[Attribution]:
    """Every attribution in ``doc``, in text order, with ids "a1", "a2", ..."""
    yield from finish(doc, raw_attributions(doc, extractor), extractor.lexicon, extractor.actors)
