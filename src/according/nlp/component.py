"""The `according` spaCy component: ``nlp.add_pipe("according")`` after ``import according``."""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

COMPONENT_NAME = "according"


class AccordingComponent:
    """Runs the extractors on a parsed Doc and stores the results on ``doc._``.

    ``doc._.according`` is the full :class:`~according.records.Report`; ``doc._.attributions``,
    ``doc._.events``, ``doc._.actors`` and ``doc._.times`` are its parts. A published date set on
    ``doc._.published`` before the component runs resolves relative times.
    """

    def __init__(self, nlp: Language, name: str = COMPONENT_NAME) -> None:
        from ..pipeline import Extractors

        self.name = name
        self.extractors = Extractors.load(model_name=_describe(nlp))
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        from ..pipeline import build_report
        from ..records import ArticleInfo

        report = build_report(doc, ArticleInfo(published=doc._.published), self.extractors)
        doc._.according = report
        return doc


def _describe(nlp: Language) -> str:
    from .loading import model_name

    return model_name(nlp)


def register_extensions() -> None:
    """Doc extensions the component fills; safe to call more than once."""
    for name in ("according", "published", "attributions", "events", "actors", "times"):
        if not Doc.has_extension(name):
            if name in ("according", "published"):
                Doc.set_extension(name, default=None)
            else:
                Doc.set_extension(name, getter=_part_getter(name))


def _part_getter(part: str):
    def get(doc: Doc) -> tuple:
        report = doc._.according
        return getattr(report, part) if report is not None else ()

    return get


def make_according(nlp: Language, name: str) -> AccordingComponent:
    return AccordingComponent(nlp, name)


Language.factory(COMPONENT_NAME)(make_according)
