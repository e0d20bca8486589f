"""Article -> parse -> extract -> link -> report.

:class:`Analyzer` owns a loaded spaCy pipeline and the extractors' lexicons; ``build_report`` is the one
function both it and the spaCy component use to turn a parsed Doc into a :class:`Report`.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Optional, Sequence, Union

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from .article import Article, normalize_date, split_title
from .errors import InputError
from .extract.actors import ActorLexicon, actor_for_span, extract_actors, set_published
from .extract.attribution import AttributionExtractor, extract_attributions
from .extract.doc_views import text as doc_text
from .extract.events import EventLexicon, EventTagger, RoleModel, extract_events, extract_tagged_events
from .extract.signals import document_signals, find_dateline
from .extract.times import extract_times
from .link import link_attribution_times, link_events
from .records import Actor, ArticleInfo, Attribution, Event, Mention, Report


@dataclass(frozen=True)
class Extractors:
    """The lexicons (and any trained attribution model) the extractors read, loaded once."""

    actors: ActorLexicon
    attributions: AttributionExtractor
    events: EventLexicon
    pipeline_name: str = ""
    event_tagger: Optional[EventTagger] = None  # None: the event rules alone decide what is an event
    role_model: Optional[RoleModel] = None  # None: the frame rules decide who acted and on whom

    @classmethod
    def load(cls, *, model_name: str = "", event_tagger: Optional[EventTagger] = None,
             actors: Sequence[str | Path] = ()) -> "Extractors":
        """The packaged lexicons and models; ``actors``: the user's actor TSV files, over the packaged ones."""
        lexicon = ActorLexicon.load(extra=actors)
        tagger = event_tagger if event_tagger is not None else EventTagger.packaged()
        return cls(lexicon, AttributionExtractor.load(actors=lexicon), EventLexicon.load(), model_name, tagger,
                   RoleModel.packaged() if tagger is not None else None)

    def find_events(self, doc: Doc, doc_actors: Optional[Sequence[Actor]] = None) -> Iterator[Event]:
        """The doc's events; ``doc_actors`` (the doc's actors, when already found) saves finding them again."""
        if self.event_tagger is None:
            return extract_events(doc, self.events, self.actors)
        return extract_tagged_events(doc, self.events, self.actors, self.event_tagger, self.role_model, doc_actors)

    def event_type_of(self, token: Token) -> Optional[str]:
        pattern = self.events.noun_pattern(token)
        return pattern.type if pattern is not None else None

    def is_place(self, span: Span) -> bool:
        actor = actor_for_span(span, self.actors)
        return actor is not None and actor.kind == "country" and actor.country is not None

    def describe(self) -> dict[str, str]:
        return {
            "pipeline": self.pipeline_name,
            "attributions": getattr(self.attributions, "model_name", "rules"),
            "events": "+".join(["rules", *(m.name for m in (self.event_tagger, self.role_model) if m is not None)]),
        }


def _with_entities(doc: Doc, attributions: Iterable[Attribution], lexicon: ActorLexicon) -> Iterator[Attribution]:
    for attribution in attributions:
        source = attribution.source
        if source is not None and source.span is not None and source.entity is None:
            span = doc.char_span(*source.span, alignment_mode="expand")
            entity = actor_for_span(span, lexicon) if span is not None else None
            if entity is not None:
                attribution = replace(attribution, source=replace(source, entity=entity))
        yield attribution


def _not_the_dateline(attributions: Iterable[Attribution], dateline: Optional[Mention]) -> tuple[Attribution, ...]:
    """"Minsk: Belarus delivered ..." reads like a transcript's "WALLACE: ..." to the attribution
    extractor, which has no gazetteer; the dateline, found with the actor lexicon, decides it."""
    kept = [a for a in attributions if dateline is None or a.source is None or a.source.span != dateline.span]
    new_id = {a.id: f"a{i}" for i, a in enumerate(kept, start=1)}  # ids stay a1, a2, ... without gaps
    return tuple(replace(a, id=new_id[a.id], parent=new_id.get(a.parent) if a.parent else None) for a in kept)


def build_report(doc: Doc, info: ArticleInfo, extractors: Extractors) -> Report:
    set_published(doc, info.published)  # officeholders are resolved as of the article's date
    times = tuple(extract_times(doc, info.published))
    if info.dateline is None:
        info = replace(info, dateline=find_dateline(doc, extractors.is_place))
    attributions = _not_the_dateline(extract_attributions(doc, extractors.attributions), info.dateline)
    attributions = tuple(_with_entities(doc, attributions, extractors.actors))
    attributions = link_attribution_times(doc, attributions, times)
    actors = tuple(extract_actors(doc, extractors.actors))
    events = link_events(doc, extractors.find_events(doc, actors), attributions, times,
                         event_type_of=extractors.event_type_of, published=info.published)
    return Report(
        article=info,
        text=doc_text(doc),
        actors=actors,
        attributions=attributions,
        events=events,
        times=times,
        signals=document_signals(doc, attributions, events),
        model=extractors.describe(),
    )


def article_info(article: Article) -> ArticleInfo:
    return ArticleInfo(title=article.title, published=article.published, outlet=article.outlet, url=article.url, id=article.id,
                       encoding=article.encoding, notes=article.notes)


class Analyzer:
    """A loaded pipeline: ``analyze(text)`` for one article, ``analyze_articles`` for a stream."""

    def __init__(self, model: Optional[str] = None, *, nlp: Optional[Language] = None, max_chars: Optional[int] = None,
                 actors: Sequence[str | Path] = ()) -> None:
        from .nlp.loading import load_pipeline, model_name

        self.nlp = nlp if nlp is not None else load_pipeline(model)
        if max_chars is not None:
            self.nlp.max_length = max(self.nlp.max_length, max_chars + 1)
        self.extractors = Extractors.load(model_name=model_name(self.nlp), actors=actors)

    def analyze(self, text: str, *, published: Optional[str] = None, title: Optional[str] = None, outlet: Optional[str] = None,
                url: Optional[str] = None, id: Optional[str] = None) -> Report:
        info = ArticleInfo(title=title if title is not None else split_title(text), published=normalize_date(published, "published"), outlet=outlet, url=url, id=id)
        return build_report(self.nlp(text), info, self.extractors)

    def analyze_articles(self, items: Iterable[Union[Article, InputError]], *, batch_size: int = 16,
                         n_process: int = 1) -> Iterator[Union[Report, InputError]]:
        """Reports in input order; an input that failed to read, or to analyze, comes out as its InputError."""
        stream = ((item.text if isinstance(item, Article) else "", item) for item in items)
        for doc, item in self.nlp.pipe(stream, as_tuples=True, batch_size=batch_size, n_process=n_process):
            if isinstance(item, InputError):
                yield item
                continue
            try:
                yield build_report(doc, article_info(item), self.extractors)
            except Exception as exc:  # one article's bug must not sink the batch; it is reported by name
                yield InputError(item.origin, f"internal error while analyzing ({type(exc).__name__}: {exc}); please report it")


@lru_cache(maxsize=4)
def default_analyzer(model: Optional[str] = None) -> Analyzer:
    return Analyzer(model)


def analyze(text: str, *, published: Optional[str] = None, title: Optional[str] = None, model: Optional[str] = None,
            **metadata: Optional[str]) -> Report:
    return default_analyzer(model).analyze(text, published=published, title=title, **metadata)
