"""The statistical span tagger: a cue CRF over sentences, then a role CRF (source, content) per cue.

Weights are trained on PolNeAR train by ``train/train_attribution_crf.py`` and ship in
``according/models/attribution/``. Without them the extractor runs on rules alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from spacy.tokens import Doc

from .attribution_features import base_features, cue_sequence, merge_fragments, quote_depth, role_sequence, role_window, runs
from .attribution_lexicon import AttributionLexicon
from .attribution_rules import RawAttribution, TokRange, _strip_complementizer

CUE_SUFFIX = "-cue.crfsuite"
ROLE_SUFFIX = "-role.crfsuite"


@dataclass(frozen=True)
class CrfTagger:
    cue_tagger: Any
    role_tagger: Any
    # A token the Viterbi path leaves outside any cue still starts one when the cue labels' marginal
    # probability reaches this (recall for precision; tuned on PolNeAR dev).
    cue_threshold: float = 0.5

    @classmethod
    def open(cls, stem: str) -> "CrfTagger":
        """Open ``<stem>-cue.crfsuite`` and ``<stem>-role.crfsuite``."""
        import pycrfsuite

        cue, role = pycrfsuite.Tagger(), pycrfsuite.Tagger()
        cue.open(stem + CUE_SUFFIX)
        role.open(stem + ROLE_SUFFIX)
        return cls(cue, role)

    @staticmethod
    def files_exist(stem: str) -> bool:
        return Path(stem + CUE_SUFFIX).is_file() and Path(stem + ROLE_SUFFIX).is_file()

    def cues(self, doc: Doc, base: list[list[str]], rules: list[RawAttribution]) -> list[TokRange]:
        rule_heads = {r.cue_head for r in rules}
        found: list[TokRange] = []
        for sent in doc.sents:
            found.extend(runs(self._cue_labels(cue_sequence(sent, base, rule_heads)), sent.start, "CUE"))
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

    def roles(self, doc: Doc, base: list[list[str]], cue: TokRange, quoted: list[int],
              rule: Optional[RawAttribution]) -> tuple[Optional[TokRange], list[TokRange], int]:
        head = doc[cue[0]:cue[1]].root.i
        window = role_window(doc, cue, quoted)
        labels = self.role_tagger.tag(role_sequence(doc, base, cue, head, window, quoted, rule))
        spaces = [doc[i].is_space for i in range(*window)]
        sources = runs(labels, window[0], "SRC", spaces)
        contents = runs(labels, window[0], "CON", spaces)
        source = min(sources, key=lambda r: _gap(r, cue)) if sources else None
        contents = merge_fragments(doc, contents, [cue] + ([source] if source else []))
        return source, contents, head

    def attributions(self, doc: Doc, lexicon: AttributionLexicon, rules: list[RawAttribution]) -> list[RawAttribution]:
        base = base_features(doc, lexicon)
        quoted = quote_depth(doc)
        channels = {r.cue_head: r.channel for r in rules if r.channel is not None}
        by_token = {i: r for r in rules for i in range(*r.cue)}
        out = []
        for cue in self.cues(doc, base, rules):
            rule = next((by_token[i] for i in range(*cue) if i in by_token), None)
            source, contents, head = self.roles(doc, base, cue, quoted, rule)
            fragments = tuple(contents)
            if fragments:
                first = _strip_complementizer(doc, fragments[0])
                fragments = ((first,) if first else ()) + fragments[1:]
            content = (fragments[0][0], fragments[-1][1]) if fragments else None
            out.append(RawAttribution(cue=cue, source=source, content=content, cue_head=head,
                                      channel=channels.get(head),
                                      content_fragments=fragments if len(fragments) > 1 else ()))
        return out


def _gap(rng: TokRange, cue: TokRange) -> int:
    return cue[0] - rng[1] if rng[1] <= cue[0] else rng[0] - cue[1]
