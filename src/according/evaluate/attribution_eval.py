"""Score the attribution extractor on a PolNeAR-layout corpus.

Two span conventions differ on one point: PolNeAR's content starts at the "that" complementizer, the
analyzer's content starts after it. ``convention="polnear"`` (the default for this corpus) puts a
"that"/"whether"/"if" back in front of a predicted content when it sits between cue and content;
``convention="according"`` scores the analyzer's spans as they are.

A second difference: the analyzer reports a speaker's quotations on either side of the cue ('"A," she
said. "B."') as one attribution per quotation, sharing source and cue; PolNeAR has one relation whose
content is the two pieces. Under ``convention="polnear"`` attributions sharing a cue are scored as one
relation with their contents as fragments. And brat spans never run over a line break (a span that goes on
into the next paragraph is in pieces, one per line): predicted spans are cut there too. Nothing else is
adjusted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

from spacy.tokens import Doc

from ..records import Attribution
from ..extract.attribution import source_type
from ..extract.attribution import AttributionExtractor
from .attribution_metrics import Miss, Scores, SpanRelation, gold_quote_type, normalize, score_article
from .polnear import Fragments, GoldArticle

_COMPLEMENTIZER = re.compile(r"(that|whether|if)[\s,]*$", re.IGNORECASE)  # "that, if elected, ..."


@dataclass
class AttributionEvaluation:
    scores: Scores
    errors: list[Miss] = field(default_factory=list)
    model: str = ""
    convention: str = "polnear"


def content_fragments(attribution: Attribution) -> Optional[Fragments]:
    if attribution.content is None:
        return None
    if attribution.content_fragments:
        return tuple(m.span for m in attribution.content_fragments)
    return (attribution.content.span,)


def _with_complementizer(text: str, attribution: Attribution) -> Optional[Fragments]:
    fragments = content_fragments(attribution)
    if fragments is None:
        return None
    start, end = fragments[0]
    window_start = max(attribution.cue.span[1], start - 12)
    if window_start < start:
        m = _COMPLEMENTIZER.search(text, window_start, start)
        if m and (m.start() == 0 or not text[m.start() - 1].isalnum()):
            start = m.start()
    return ((start, end),) + fragments[1:]


_LINE_BREAK = re.compile(r"\s*\n\s*")


def by_line(text: str, fragments: Optional[Fragments]) -> Optional[Fragments]:
    """Fragments cut at every line break inside them: a brat annotation never runs over one (PolNeAR's
    annotators' spans that go on into the next paragraph are in pieces, one per line)."""
    if not fragments:
        return fragments
    out = []
    for start, end in fragments:
        for m in _LINE_BREAK.finditer(text, start, end):
            if start < m.start():
                out.append((start, m.start()))
            start = m.end()
        if start < end:
            out.append((start, end))
    return tuple(out) or None


def predicted_relation(text: str, attribution: Attribution, convention: str) -> SpanRelation:
    content = (_with_complementizer(text, attribution) if convention == "polnear"
               else content_fragments(attribution))
    named = attribution.named_source
    source = (named.span,) if named is not None and named.span is not None else None
    if convention == "polnear":
        content, source = by_line(text, content), by_line(text, source)
    return SpanRelation(
        source=normalize(text, source),
        cue=normalize(text, (attribution.cue.span,)) or (attribution.cue.span,),
        content=normalize(text, content),
        source_type=named.type if named is not None else "none",
        quote=attribution.quote,
    )


def merged_by_cue(relations: list[SpanRelation]) -> list[SpanRelation]:
    """Relations that share a cue and source as one relation, their contents as fragments."""
    out: list[SpanRelation] = []
    index: dict[tuple, int] = {}
    for rel in relations:
        key = (rel.cue, rel.source)
        k = index.get(key)
        if k is None or rel.content is None or out[k].content is None:
            index.setdefault(key, len(out))
            out.append(rel)
            continue
        merged = tuple(sorted(set(out[k].content) | set(rel.content)))
        out[k] = SpanRelation(rel.source, rel.cue, merged, out[k].source_type, out[k].quote)
    return out


def _char_span(doc: Doc, fragments: Fragments):
    return doc.char_span(fragments[0][0], fragments[-1][1], alignment_mode="expand")


def gold_relations(doc: Doc, article: GoldArticle, extractor: AttributionExtractor) -> list[SpanRelation]:
    """Gold relations; a gold source is typed by the analyzer's own typer (PolNeAR has no types)."""
    out = []
    text = article.text
    for rel in article.relations:
        source = normalize(text, rel.source)
        kind = "none"
        if source:
            span = _char_span(doc, source)
            kind = source_type(span, extractor.lexicon, extractor.actors) if span is not None and len(span) else "unknown"
        cue = normalize(text, rel.cue)
        if cue is None:
            continue
        content = normalize(text, rel.content)
        out.append(SpanRelation(source, cue, content, kind, gold_quote_type(text, content)))
    return out


def evaluate_docs(pairs: Iterable[tuple[GoldArticle, Doc]], extractor: AttributionExtractor, *,
                  convention: str = "polnear", collect_errors: bool = False) -> AttributionEvaluation:
    from ..extract.attribution import extract_attributions

    result = AttributionEvaluation(Scores(), model=extractor.model_name, convention=convention)
    for article, doc in pairs:
        gold = gold_relations(doc, article, extractor)
        pred = [predicted_relation(article.text, a, convention) for a in extract_attributions(doc, extractor)]
        if convention == "polnear":
            pred = merged_by_cue(pred)
        score_article(result.scores, article.name, article.text, gold, pred,
                      result.errors if collect_errors else None)
    return result


def parse_articles(articles: Iterable[GoldArticle], nlp, batch_size: int = 8) -> Iterator[tuple[GoldArticle, Doc]]:
    """Pair each article with its parse, parsing in batches."""
    articles = list(articles)
    docs = nlp.pipe((a.text for a in articles), batch_size=batch_size)
    yield from zip(articles, docs)
