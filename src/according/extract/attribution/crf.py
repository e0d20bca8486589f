"""The statistical span tagger: a cue CRF over sentences, then a role CRF (source, content) per cue.

Weights are trained on PolNeAR train by ``train/train_attribution_crf.py`` and ship in
``according/models/attribution/``. Without them the extractor runs on rules alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Optional

from spacy.tokens import Doc, Token

from ..crf_model import CrfModel
from .cue_scores import CueScorer
from .features import (
    TokenTable, cue_sequence, merge_fragments, role_sequence, role_window, runs, sentences, token_table,
)
from .lexicon import AttributionLexicon
from .rules import (
    RawAttribution, TokRange, _strip_complementizer, balance_quotes, plausible_source, skip_dateline,
)

CUE_SUFFIX = "-cue.crfsuite"
ROLE_SUFFIX = "-role.crfsuite"
MODEL_PACKAGE = "according.models.attribution"
MODEL_VERSION = "crf-polnear-v1"


def load_tagger() -> Optional["CrfTagger"]:
    """The shipped CRF span tagger, or None when its weights or pycrfsuite are missing (rules alone then)."""
    try:
        import pycrfsuite  # noqa: F401
    except ImportError:
        return None
    stem = str(resources.files(MODEL_PACKAGE).joinpath(MODEL_VERSION))
    return CrfTagger.open(stem) if CrfTagger.files_exist(stem) else None


@dataclass(frozen=True)
class CrfTagger:
    cue_tagger: Any
    role_tagger: Any
    # A token the Viterbi path leaves outside any cue still starts one when the cue labels' marginal
    # probability reaches this (recall for precision; tuned on PolNeAR dev).
    cue_threshold: float = 0.5
    backoff: bool = True  # a cue the CRF gives no source or content takes the rules' for it
    # The cue model's weights, read from its file: the same labels as ``cue_tagger`` without building
    # the feature strings (None: tag through python-crfsuite)
    cue_scorer: Optional[CueScorer] = None

    @classmethod
    def open(cls, stem: str) -> "CrfTagger":
        """Open ``<stem>-cue.crfsuite`` and ``<stem>-role.crfsuite``."""
        import pycrfsuite

        cue, role = pycrfsuite.Tagger(), pycrfsuite.Tagger()
        cue.open(stem + CUE_SUFFIX)
        role.open(stem + ROLE_SUFFIX)
        return cls(cue, role, cue_scorer=CueScorer.of(CrfModel.read(stem + CUE_SUFFIX)))

    @staticmethod
    def files_exist(stem: str) -> bool:
        return Path(stem + CUE_SUFFIX).is_file() and Path(stem + ROLE_SUFFIX).is_file()

    def cues(self, table: TokenTable, rules: list[RawAttribution]) -> list[TokRange]:
        rule_heads = {r.cue_head for r in rules}
        found: list[TokRange] = []
        if self.cue_scorer is not None and self.cue_threshold >= 0.5:  # the Viterbi path alone: no marginals needed
            for (start, _), labels in zip(sentences(table), self.cue_scorer.cues(table, rule_heads)):
                found.extend(runs(labels, start, "CUE"))
            return found
        for start, end in sentences(table):
            found.extend(runs(self._cue_labels(cue_sequence(table, start, end, rule_heads)), start, "CUE"))
        return found

    def _cue_labels(self, seq: list[list[str]]) -> list[str]:
        tagger = self.cue_tagger
        tagger.set(seq)
        labels = tagger.tag()
        if self.cue_threshold >= 0.5:
            return labels
        for t, label in enumerate(labels):
            if label != "O":
                continue
            begin, inside = tagger.marginal("B-CUE", t), tagger.marginal("I-CUE", t)
            if begin + inside >= self.cue_threshold:
                labels[t] = "I-CUE" if inside > begin and t and labels[t - 1] != "O" else "B-CUE"
        return labels

    def roles(self, table: TokenTable, cue: TokRange,
              rule: Optional[RawAttribution]) -> tuple[Optional[TokRange], list[TokRange], int]:
        head = cue_root(table, cue)
        window = role_window(table, cue)
        labels = self.role_tagger.tag(role_sequence(table, cue, head, window, rule))
        spaces = table.is_space[window[0]:window[1]]
        sources = runs(labels, window[0], "SRC", spaces)
        contents = runs(labels, window[0], "CON", spaces)
        sources = merge_fragments(table, sources, [cue], only_punct=True)
        source = min(sources, key=lambda r: _gap(r, cue)) if sources else None
        contents = merge_fragments(table, contents, [cue] + ([source] if source else []))
        return source, contents, head

    def attributions(self, doc: Doc, lexicon: AttributionLexicon, rules: list[RawAttribution],
                     bare_speech: bool = False) -> list[RawAttribution]:
        """The tagger's attributions; ``bare_speech`` keeps a "said" or "told" with its source and no
        content found (see :func:`plausible`)."""
        table = token_table(doc, lexicon)
        channels = {r.cue_head: r.channel for r in rules if r.channel is not None}
        by_token: dict[int, RawAttribution] = {}
        for r in sorted(rules, key=lambda r: not r.confident):  # a confident rule speaks for its cue
            for i in range(*r.cue):
                by_token.setdefault(i, r)
        out = []
        for cue in self.cues(table, rules):
            rule = next((by_token[i] for i in range(*cue) if i in by_token), None)
            source, contents, head = self.roles(table, cue, rule)
            fragments = tuple(balance_quotes(doc, _drop_trailing_comma(table, f)) for f in contents)
            if fragments:
                fragments = ((skip_dateline(doc, fragments[0][0]), fragments[0][1]),) + fragments[1:]
            if fragments and fragments[0][0] >= cue[1]:
                # "said that ...": the complementizer after the cue is no part of the content; "If the
                # council refuses, she said, ..." keeps its "If"
                first = _strip_complementizer(doc, fragments[0])
                fragments = ((first,) if first else ()) + fragments[1:]
            content = (fragments[0][0], fragments[-1][1]) if fragments else None
            if rule is not None and self.backoff:
                source = source or rule.source
                # A relative clause's content is the noun it modifies, outside the window's reach.
                relative = table.dep[head] == "relcl" and rule.content is not None and rule.content[1] <= cue[0]
                # '"...," Hunt said on Sunday. "..."': the quotation before the cue, not the next one
                next_one = (rule.content is not None and rule.content[1] <= cue[0] and content is not None
                            and content[0] >= cue[1] and table.sent_start[content[1] - 1] != table.sent_start[cue[0]])
                if content is None or (rule.confident and (relative or next_one or any(_overlaps(f, cue) for f in fragments))):
                    content, fragments = rule.content, ()
            if not plausible(table, cue, source, content, lexicon, bare_speech):
                continue
            out.append(RawAttribution(cue=cue, source=source, content=content, cue_head=head,
                                      channel=channels.get(head),
                                      content_fragments=fragments if len(fragments) > 1 else ()))
        return out


def plausible(table: TokenTable, cue: TokRange, source: Optional[TokRange], content: Optional[TokRange],
              lexicon: AttributionLexicon, bare_speech: bool = False) -> bool:
    """Drop what no reader would call an attribution: "according to plan", "he said goodbye". With
    ``bare_speech``, a "said" whose content the role tagger did not find stays when it has a source."""
    doc = table.doc
    if source is None and content is None:
        return False
    for i in range(*cue):
        if table.lower[i] == "according" and i + 1 < len(table.lower) and table.lower[i + 1] == "to":
            objects = [c for c in doc[i + 1].children if c.dep_ == "pobj"] + [c for c in doc[i].children if c.dep_ == "pobj"]
            if not any(plausible_source(o, lexicon) or _reports(o, lexicon) for o in objects):
                return False
    if table.lemma[cue[0]] in ("say", "tell") and cue[1] - cue[0] == 1:
        if content is None:
            return bare_speech and source is not None
        if content[1] - content[0] == 1 and not table.quoted[content[0]] and table.pos[content[0]] not in ("PRON",):
            return False
    return True


def _reports(obj: Token, lexicon: AttributionLexicon) -> bool:
    """A noun after "according to" that is no norm or measure ("according to a count by the AP", not
    "according to plan"): what the sentence relays comes from it."""
    return obj.pos_ == "NOUN" and obj.lemma_.lower() not in lexicon.according_norms


def cue_root(table: TokenTable, cue: TokRange) -> int:
    """The cue token whose head lies outside the cue (the first such when several)."""
    for i in range(*cue):
        h = table.head[i]
        if h == i or not cue[0] <= h < cue[1]:
            return i
    return cue[0]


def _drop_trailing_comma(table: TokenTable, rng: TokRange) -> TokRange:
    """A content never ends on the comma that separates it from "he said"."""
    start, end = rng
    while end - start > 1 and table.lower[end - 1] in (",", ";", ":", "—", "–", "-"):
        end -= 1
    return (start, end)


def _overlaps(a: TokRange, b: TokRange) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _gap(rng: TokRange, cue: TokRange) -> int:
    return cue[0] - rng[1] if rng[1] <= cue[0] else rng[0] - cue[1]
