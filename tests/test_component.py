"""`according` as a spaCy pipeline component."""
from __future__ import annotations

import according  # noqa: F401  (registers the factory)
from according.nlp.loading import load_pipeline


def test_component_fills_doc_extensions():
    nlp = load_pipeline()
    nlp.add_pipe("according")
    doc = nlp.make_doc("Fighting resumes\nHe said on Friday that the talks had failed.")
    doc._.published = "2024-09-07"
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    report = doc._.according
    assert report is not None and report.text == doc.text
    assert report.article.published == "2024-09-07"
    assert doc._.times and doc._.times[0].resolved == "2024-09-06"
    assert doc._.attributions == report.attributions and doc._.events == report.events
    plain = nlp("No dates here at all.")
    assert plain._.according is not None and plain._.times == ()
