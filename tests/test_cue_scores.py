"""The cue CRF read from its weights (extract/crf_model.py, attribution/cue_scores.py) gives python-crfsuite's
labels for ``cue_sequence``'s features: the same Viterbi path, ties and all, on hand-written text."""
from __future__ import annotations

import random

import pytest

from according.extract.attribution import AttributionExtractor
from according.extract.attribution.crf import CUE_SUFFIX, MODEL_VERSION
from according.extract.attribution.features import cue_sequence, sentences, token_table
from according.errors import ModelFileError
from according.extract.crf_model import CrfModel

TEXTS = [
    "The minister said on Tuesday that the talks had failed, according to two officials.",
    '"We will not retreat," the general told reporters. "Never," he added, before leaving.',
    "KYIV\n\nRussian forces shelled the city overnight, Ukraine's defence ministry claimed in a statement.",
    "Analysts believe the deal is doomed. The company denied it; a spokesperson declined to comment.",
    "Smith, who spoke on condition of anonymity, warned that sanctions could follow\u00a0- or not.",
    "Reportedly, the U.S.-led coalition's strikes hit 3 depots, the Syrian Observatory for Human Rights said.",
    "He said.",
    "“Quoted in curly marks,” she wrote, ‘and in single ones’ too — officials insisted.",
]


@pytest.fixture(scope="module")
def tagger(nlp):
    extractor = AttributionExtractor.load()
    if extractor.tagger is None or extractor.tagger.cue_scorer is None:
        pytest.skip("the attribution CRF models are not installed")
    return extractor


@pytest.mark.parametrize("text", TEXTS)
def test_labels_match_python_crfsuite(nlp, tagger, text: str) -> None:
    doc = nlp(text)
    table = token_table(doc, tagger.lexicon)
    crf = tagger.tagger
    rng = random.Random(len(text))
    for rule_heads in (set(), {t.i for t in doc if t.pos_ == "VERB"}, set(rng.sample(range(len(doc)), min(4, len(doc))))):
        expected = []
        for start, end in sentences(table):
            crf.cue_tagger.set(cue_sequence(table, start, end, rule_heads))
            expected.append(crf.cue_tagger.tag())
        assert crf.cue_scorer.cues(table, rule_heads) == expected


def test_some_cue_is_found(nlp, tagger) -> None:
    doc = nlp(TEXTS[0])
    labels = [label for sentence in tagger.tagger.cue_scorer.cues(token_table(doc, tagger.lexicon), set()) for label in sentence]
    assert "B-CUE" in labels


def test_model_file_matches_the_tagger(tagger) -> None:
    from importlib import resources

    path = str(resources.files("according.models.attribution").joinpath(MODEL_VERSION)) + CUE_SUFFIX
    model = CrfModel.read(path)
    assert list(model.labels) == tagger.tagger.cue_tagger.labels()
    assert model.state.shape == (len(model.attributes) + 1, len(model.labels))
    assert not model.state[model.unknown].any()
    assert model.attributes["w=said"] >= 0


def test_viterbi_on_ties_and_batches_agrees_with_python_crfsuite(tagger) -> None:
    model = tagger.tagger.cue_scorer.model
    crf = tagger.tagger.cue_tagger
    crf.set([["no-such-feature"]] * 5)  # no state score at all: the transitions alone, ties included
    assert model.viterbi([[0.0] * len(model.labels)] * 5) == crf.tag()
    rng = random.Random(7)
    import numpy

    scores = numpy.array([[rng.choice([0.0, 1.0, -1.0, rng.random()]) for _ in model.labels] for _ in range(60)])
    spans = [(0, 1), (1, 9), (9, 30), (30, 31), (31, 60)]
    rows = scores.tolist()
    assert model.viterbi_all(scores, spans) == [model.viterbi(rows[s:e]) for s, e in spans]
    assert model.viterbi_all(scores, []) == []


def test_not_a_model_is_a_clear_error(tmp_path) -> None:
    path = tmp_path / "weights.crfsuite"
    path.write_bytes(b"not a model at all, just some bytes")
    with pytest.raises(ModelFileError, match="weights.crfsuite"):
        CrfModel.read(path)
    path.write_bytes(b"lCRF")
    with pytest.raises(ModelFileError, match="too short"):
        CrfModel.read(path)
    from importlib import resources

    real = (resources.files("according.models.attribution") / (MODEL_VERSION + CUE_SUFFIX)).read_bytes()
    path.write_bytes(real[: len(real) // 2])  # cut short: the string tables lie past the end
    with pytest.raises(ModelFileError, match="damaged|string table"):
        CrfModel.read(path)
