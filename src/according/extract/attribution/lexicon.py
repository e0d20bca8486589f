"""The attribution lexicon: cue verbs, cue phrases and source-type word lists, read from package data."""
from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from typing import Any, Optional

LEXICON_PACKAGE = "according.lexicons"
MODEL_PACKAGE = "according.models.attribution"
MODEL_VERSION = "crf-polnear-v1"


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
    """Word lists the extractor reads, and (when shipped) the statistical span tagger.

    ``model_name`` says which attribution model produced the output: "rules" or "rules+crf-polnear-v1".
    """

    cue_verbs: dict[str, CueVerb] = field(default_factory=dict)
    cue_nouns: frozenset[str] = frozenset()
    anonymous_heads: frozenset[str] = frozenset()
    document_heads: frozenset[str] = frozenset()
    media_words: frozenset[str] = frozenset()
    institution_heads: frozenset[str] = frozenset()
    role_heads: frozenset[str] = frozenset()
    layout_labels: frozenset[str] = frozenset()
    tagger: Optional[Any] = field(default=None, compare=False, repr=False)
    # With a tagger: also keep the rules' confident attributions at cues the tagger missed. On by default
    # (the analyzer should not miss a plain "X said that ..."); PolNeAR scores are higher without it.
    add_rule_cues: bool = True

    @property
    def model_name(self) -> str:
        return f"rules+{MODEL_VERSION}" if self.tagger is not None else "rules"

    @classmethod
    def load(cls, *, use_model: bool = True, add_rule_cues: bool = True) -> "AttributionLexicon":
        verbs = {}
        for line in _lines("cue_verbs.tsv"):
            lemma, kind, stance = line.split("\t")
            verbs[lemma] = CueVerb(lemma, kind, stance)
        tagger = _load_tagger() if use_model else None
        return cls(
            cue_verbs=verbs,
            cue_nouns=frozenset(_lines("cue_nouns.txt")),
            anonymous_heads=frozenset(_lines("source_anonymous.txt")),
            document_heads=frozenset(_lines("source_documents.txt")),
            media_words=frozenset(_lines("source_media.txt")),
            institution_heads=frozenset(_lines("source_institutions.txt")),
            role_heads=frozenset(_lines("source_roles.txt")),
            layout_labels=frozenset(_lines("cue_layout_labels.txt")),
            tagger=tagger,
            add_rule_cues=add_rule_cues,
        )


def _load_tagger() -> Optional[Any]:
    """The CRF span tagger when its weights ship with the package and pycrfsuite is importable."""
    try:
        folder = resources.files(MODEL_PACKAGE)
        from .crf import CrfTagger
    except (ModuleNotFoundError, ImportError):
        return None
    stem = str(folder.joinpath(MODEL_VERSION))
    return CrfTagger.open(stem) if CrfTagger.files_exist(stem) else None
