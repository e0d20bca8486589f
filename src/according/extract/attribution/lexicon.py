"""The attribution lexicon: cue verbs, cue phrases and source-type word lists, read from package data.

Data only: the statistical tagger that reads these lists is built beside it (``crf.load_tagger``) and the
two meet in ``AttributionExtractor`` (extract.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources

LEXICON_PACKAGE = "according.lexicons"


def _lines(name: str) -> list[str]:
    text = resources.files(LEXICON_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@dataclass(frozen=True)
class CueVerb:
    lemma: str
    cls: str  # speech | cognition | feeling | report
    stance: str  # the stance the verb itself carries (deny -> denied)


@dataclass(frozen=True)
class AttributionLexicon:
    """Word lists the attribution extractor reads."""

    cue_verbs: dict[str, CueVerb] = field(default_factory=dict)
    cue_nouns: frozenset[str] = frozenset()
    anonymous_heads: frozenset[str] = frozenset()
    document_heads: frozenset[str] = frozenset()
    media_words: frozenset[str] = frozenset()
    media_heads: frozenset[str] = frozenset()
    institution_heads: frozenset[str] = frozenset()
    role_heads: frozenset[str] = frozenset()
    layout_labels: frozenset[str] = frozenset()
    clause_verbs: frozenset[str] = frozenset()  # cue verbs that attribute only a clause or a quotation
    that_nouns: frozenset[str] = frozenset()  # nouns that attribute a "that" clause ("rumours that ...")
    as_verbs: frozenset[str] = frozenset()  # judgement verbs with an "as" complement ("regards X as Y")
    hearsay_verbs: frozenset[str] = frozenset()  # whose unsourced passive relays hearsay ("is said to")
    object_verbs: frozenset[str] = frozenset()  # whose plain noun object is what is said ("claimed responsibility")
    according_norms: frozenset[str] = frozenset()  # "according to plan": a norm or measure, no source
    raising_verbs: frozenset[str] = frozenset()  # whose subject is what seems so, not who thinks it ("seems")

    @classmethod
    def load(cls) -> "AttributionLexicon":
        verbs = {}
        for line in _lines("cue_verbs.tsv"):
            lemma, kind, stance = line.split("\t")
            verbs[lemma] = CueVerb(lemma, kind, stance)
        return cls(
            cue_verbs=verbs,
            cue_nouns=frozenset(_lines("cue_nouns.txt")),
            anonymous_heads=frozenset(_lines("source_anonymous.txt")),
            document_heads=frozenset(_lines("source_documents.txt")),
            media_words=frozenset(_lines("source_media.txt")),
            media_heads=frozenset(_lines("source_media_heads.txt")),
            institution_heads=frozenset(_lines("source_institutions.txt")),
            role_heads=frozenset(_lines("source_roles.txt")),
            layout_labels=frozenset(_lines("cue_layout_labels.txt")),
            clause_verbs=frozenset(_lines("cue_verbs_clause_only.txt")),
            that_nouns=frozenset(_lines("cue_nouns.txt") + _lines("cue_nouns_that.txt")),
            as_verbs=frozenset(_lines("cue_verbs_as.txt")),
            hearsay_verbs=frozenset(_lines("cue_verbs_hearsay.txt")),
            object_verbs=frozenset(_lines("cue_verbs_object_said.txt")),
            according_norms=frozenset(_lines("cue_according_norms.txt")),
            raising_verbs=frozenset(_lines("cue_verbs_raising.txt")),
        )
