"""Attribution on real-news patterns: sentences written for these tests, each a pattern the extractor
used to get wrong (non-attributions, relative and passive sources, contents running over their cue,
source types, stance)."""
from __future__ import annotations

import dataclasses
from typing import Optional

import pytest

from according.extract.attribution import AttributionExtractor, AttributionLexicon
from according.records import Attribution

from attribution_support import attributions, extractor as _extractor, pipeline as _nlp


def with_cue(found: list[Attribution], cue: str) -> list[Attribution]:
    return [a for a in found if cue in a.cue.text]


def one(text: str, cue: str) -> Attribution:
    found = attributions(text)
    hits = with_cue(found, cue)
    assert hits, f"no attribution with cue {cue!r} in {[(a.source and a.source.text, a.cue.text) for a in found]}"
    return hits[0]


# A speech or belief verb, and no attribution at that verb.
NOT_ATTRIBUTIONS = [
    ("Nothing prepares you for losing the place you call home.", "call"),
    ("If you're wondering why the station closed, the answer is money.", "wondering"),
    ("Remember the volunteers who rebuilt the school after the flood?", "Remember"),
    ("It seemed a sensible plan at the time.", "seemed"),
    ("The general threatened a new offensive in the spring.", "threatened"),
    ("The council condemned the closure of the library.", "condemned"),
    ("Mara Olsen spoke to the Herald on Wednesday from her home in Oslo.", "spoke"),
    ("The planned closure was announced as the strike began.", "announced"),
]


@pytest.mark.parametrize("text,cue", NOT_ATTRIBUTIONS)
def test_no_attribution(text: str, cue: str) -> None:
    assert with_cue(attributions(text), cue) == []


# An act verb with a statement after it is still an attribution.
@pytest.mark.parametrize("text,cue,content", [
    ("The general threatened that his troops would cross the river.", "threatened", "his troops would cross"),
    ("The ministry rejected claims that its planes had bombed the market.", "rejected", "planes had bombed the market"),
])
def test_act_verb_with_a_statement(text: str, cue: str, content: str) -> None:
    found = one(text, cue)
    assert found.content is not None and content in found.content.text


# The speaker a relative pronoun stands for.
@pytest.mark.parametrize("text,cue,source", [
    ("The plan worries senior diplomats involved in the talks, who say the deadline will slip.", "say", "diplomats"),
    ("“Prices doubled,” said Maria Stone, head of research at the Lindell Institute, who pointed out that "
     "wages had not moved.", "pointed out", "Maria Stone"),
    ("The fine was imposed by the port authority, which said the ship had been overloaded.", "said", "the port authority"),
])
def test_relative_pronoun_source(text: str, cue: str, source: str) -> None:
    found = one(text, cue)
    assert found.source is not None and source in found.source.text and found.source.text not in ("who", "which")


# A passive subject is what is said; the source is the agent, or no one.
def test_passive_report_has_no_source() -> None:
    found = one("The minister is reported to have resigned on Friday.", "reported")
    assert found.named_source is None
    assert found.content is not None and found.content.text.startswith("to have resigned")
    assert found.stance == "hedged"


def test_passive_agent_is_the_source() -> None:
    found = one("It was announced by the ministry that the border would reopen.", "announced")
    assert found.source is not None and found.source.text == "the ministry"
    assert found.content is not None and "the border would reopen" in found.content.text


# A content does not run over its own cue.
def test_quotations_either_side_of_the_cue_are_two_contents() -> None:
    found = with_cue(attributions("“We will rebuild the bridge,” said Anna Berg. “The work starts in June.”"), "said")
    assert len(found) == 2
    assert {a.source.text for a in found if a.source} == {"Anna Berg"}
    contents = [a.content.text for a in found if a.content]
    assert any("rebuild the bridge" in c for c in contents) and any("work starts in June" in c for c in contents)
    assert all("said" not in c for c in contents)


def test_cue_inside_a_sentence_splits_the_content_into_pieces() -> None:
    found = one("The new road would, said Tom Reyes, cut travel times for farmers.", "said")
    assert found.source is not None and found.source.text == "Tom Reyes"
    pieces = [m.text for m in found.content_fragments]
    assert len(pieces) == 2 and not any("said" in p for p in pieces)
    assert pieces == ["The new road would", "cut travel times for farmers"]


SOURCE_TYPES = [
    ("The Harbour Chronicle reported that the port had closed.", "reported", "media"),
    ("Kurdish news agencies reported that the town had fallen.", "reported", "media"),
    ("Jim Baxter opened the bridge in May. Baxter said the cost had doubled.", "said", "named_person"),
    ("Local commanders said the road had been cut.", "said", "anonymous"),
    ("A resident, who asked not to be named, said the shelling had stopped.", "said", "anonymous"),
    ("An FCO spokesperson said the embassy would stay open.", "said", "official_organization"),
    ("A spokesman said the embassy would stay open.", "said", "anonymous"),
    ("The prime minister said the talks had failed.", "said", "named_person"),
    ("The White House spokeswoman, Ann Lee, said the visit was off.", "said", "named_person"),
    ("Aid groups said the convoy had been turned back.", "said", "anonymous"),
    ("She said the convoy had been turned back.", "said", "named_person"),
    ("We do not believe the general is still in the capital, the colonel said.", "said", "named_person"),
]


@pytest.mark.parametrize("text,cue,kind", SOURCE_TYPES)
def test_source_type(text: str, cue: str, kind: str) -> None:
    found = one(text, cue)
    assert found.source is not None and found.source.type == kind, found.source


STANCES = [
    ("He said the army would withdraw by May.", "said", "asserted"),
    ("She predicted that prices would fall next year.", "predicted", "asserted"),
    ("She said the ceasefire would collapse if the shelling continued.", "said", "conditional"),
    ("Officials warned that any attack would be met with force.", "warned", "conditional"),
    ("He said the rebels probably left the city last week.", "said", "hedged"),
    ("Rebel leaders are believed to be holding two aid workers.", "believed", "hedged"),
    ("Officials don't think he is in the city.", "think", "denied"),
    ("The ministry said the report was false.", "said", "denied"),
]


@pytest.mark.parametrize("text,cue,stance", STANCES)
def test_stance(text: str, cue: str, stance: str) -> None:
    assert one(text, cue).stance == stance


def test_lexicon_is_data_and_the_extractor_holds_the_model() -> None:
    fields = {f.name for f in dataclasses.fields(AttributionLexicon)}
    assert "tagger" not in fields and all(not f.startswith("model") for f in fields)
    rules_only: Optional[AttributionExtractor] = AttributionExtractor.load(use_model=False)
    assert rules_only.tagger is None and rules_only.model_name == "rules"
    assert _extractor().model_name in ("rules", "rules+crf-polnear-v1")


def test_time_and_channel_stay_out_of_source_and_content() -> None:
    found = one("The ministry denied in a statement to the Courier that the convoy had been hit.", "denied")
    assert found.content is not None and "statement" not in found.content.text
    said = one("“The deal is off,” Lena Park, a spokeswoman for the port, said on Tuesday.", "said")
    assert said.source is not None and "Tuesday" not in said.source.text
    aged = one("“It was the longest night,” the 34-year-old said.", "said")
    assert aged.source is not None and aged.source.text == "the 34-year-old"


# A rule's attribution at a cue the CRF did not tag is kept only when it states something.
def _rule_find(text: str, cue: str):
    from according.extract.attribution.rules import find_rule_attributions

    doc = _nlp()(text)
    lexicon = AttributionLexicon.load()
    found = [r for r in find_rule_attributions(doc, lexicon) if cue in doc[r.cue[0]:r.cue[1]].text]
    assert found, f"the rules found no cue {cue!r} in {text!r}"
    return doc, found[0], lexicon


@pytest.mark.parametrize("text,cue,states", [
    ("The minister said the bridge would reopen in May.", "said", True),
    ("The group claimed responsibility for the blast at the depot.", "claimed", True),
    ("She confirmed the deaths of two climbers.", "confirmed", True),
    ("The board regards the merger as a mistake.", "regards", True),
    ("Ms. Lee wrote a letter to the council.", "wrote", True),  # a statement noun
    ("The mayor called Ms. Lee on Friday to thank her.", "called", False),
    ("The charity maintains a programme for young farmers in the valley.", "maintains", False),
    ("The senator supported the plan to widen the road.", "supported", False),
    ("The coach announced his retirement on Sunday.", "announced", False),
])
def test_rule_cue_states_something(text: str, cue: str, states: bool) -> None:
    from according.extract.attribution.revise import states_something

    doc, raw, lexicon = _rule_find(text, cue)
    assert raw.confident  # a find the analyzer would have added on its own
    assert states_something(doc, raw, lexicon) is states


def test_rule_cue_with_an_act_object_is_not_added() -> None:
    # the CRF does not tag "maintains" here; the rules' find alone names an act, not a statement
    assert with_cue(attributions("The charity maintains a programme for young farmers in the valley."), "maintains") == []
    # while a clause after the same verb is a statement
    found = one("The charity maintains that the programme helped young farmers in the valley.", "maintains")
    assert found.content is not None and "the programme helped" in found.content.text


# A wire dateline before the source is no part of it; a compound with a hyphen is.
@pytest.mark.parametrize("text,source", [
    ("BRUSSELS - European ministers said on Monday that the talks would resume.", "European ministers"),
    ("NEW YORK ― The city council said the budget would be cut next year.", "The city council"),
    ("US-led coalition forces said the bridge had been destroyed.", "US-led coalition forces"),
    ("Anti-war groups said the march would go ahead on Saturday.", "Anti-war groups"),
])
def test_dateline_is_not_the_source(text: str, source: str) -> None:
    found = one(text, "said")
    assert found.source is not None and found.source.text == source


def test_transcript_speaker_is_not_a_dateline() -> None:
    found = one("WALLACE: We will see what the committee decides next week.", ":")
    assert found.source is not None and found.source.text == "WALLACE"


# A content whose clause began before its cue keeps that beginning as its first piece.
FRONTED = [
    ("All of this, he acknowledges, could be undone at the next election.", "acknowledges",
     ["All of this", "could be undone at the next election"]),
    ("The latest test, the ministry said, was the largest so far.", "said",
     ["The latest test", "was the largest so far"]),
    ("The park lies near the stadium, which, Tompkins said, is usually full of families.", "said",
     ["which", "is usually full of families"]),
]


@pytest.mark.parametrize("text,cue,pieces", FRONTED)
def test_content_clause_before_its_cue_is_the_first_piece(text: str, cue: str, pieces: list[str]) -> None:
    found = one(text, cue)
    assert [m.text for m in found.content_fragments] == pieces
    assert found.source is not None and found.source.text not in found.content_fragments[0].text


def test_a_clause_after_its_cue_has_no_piece_before_it() -> None:
    found = one("In a statement on Monday, the ministry said the border would reopen.", "said")
    assert not found.content_fragments
    assert found.content is not None and found.content.text == "the border would reopen"


def test_fronted_question_word_joins_the_content() -> None:
    from according.extract.attribution.revise import fronted_piece

    doc = _nlp()("The gap between what Trump says his tax plan would do and the facts is wide.")
    says = next(t.i for t in doc if t.text == "says")
    content = (says + 1, next(t.i for t in doc if t.text == "do") + 1)
    piece = fronted_piece(doc, (says, says + 1), (says - 1, says), content)
    assert piece is not None and doc[piece[0]:piece[1]].text == "what"
    # without the question word, the clause starts after its cue: no piece
    doc = _nlp()("Officials say his tax plan would fail.")
    say = next(t.i for t in doc if t.text == "say")
    assert fronted_piece(doc, (say, say + 1), (0, 1), (say + 1, len(doc) - 1)) is None


def test_pieces_either_side_of_the_cue_keep_their_conjunction() -> None:
    from according.extract.attribution.revise import split_at_cue

    doc = _nlp()('Mills "got an immunity deal," Jordan said, and still "sat in on the interview."')
    said = next(t.i for t in doc if t.text == "said")
    before, after = split_at_cue(doc, (said, said + 1), (said - 1, said), (0, len(doc)), words=1)
    assert doc[after[0][0]:after[0][1]].text.startswith("and still")
    assert doc[before[0][0]:before[0][1]].text == 'Mills "got an immunity deal,"'


def test_passive_subject_is_a_piece_of_the_content_in_polnear_convention() -> None:
    text = "The rebel group is not thought to be capable of striking the capital."
    polnear = dataclasses.replace(_extractor(), passive_subjects=True)
    from according.extract.attribution import extract_attributions

    found = [a for a in extract_attributions(_nlp()(text), polnear) if "thought" in a.cue.text]
    assert found and [m.text for m in found[0].content_fragments] == ["The rebel group", "to be capable of striking the capital"]
    assert found[0].named_source is None
    # the analyzer's own convention: what the subject is said to be, in one piece
    plain = one(text, "thought")
    assert not plain.content_fragments and plain.content.text.startswith("to be capable")


def test_content_cut_inside_a_phrase_runs_to_its_end() -> None:
    from according.extract.attribution.revise import complete_phrase

    doc = _nlp()("She cited the remarks the mayor had made about the strike as proof.")
    cited = next(t.i for t in doc if t.text == "cited")
    remarks = next(t.i for t in doc if t.text == "remarks")
    got = complete_phrase(doc, (cited, cited + 1), (0, 1), (remarks - 1, remarks + 1))
    assert doc[got[0]:got[1]].text.startswith("the remarks the mayor had made about the strike")
    # a content that ends before punctuation is left alone
    doc = _nlp()("He said the plan would fail, and he left.")
    said = next(t.i for t in doc if t.text == "said")
    fail = next(t.i for t in doc if t.text == "fail")
    assert complete_phrase(doc, (said, said + 1), (0, 1), (said + 1, fail + 1)) == (said + 1, fail + 1)


def test_content_is_not_completed_over_its_own_cue() -> None:
    from according.extract.attribution.revise import complete_phrase

    doc = _nlp()("Many of the examples that critics point to are old.")
    point = next(t.i for t in doc if t.text == "point")
    examples = next(t.i for t in doc if t.text == "examples")
    content = (examples - 1, examples + 1)
    assert complete_phrase(doc, (point, point + 2), (point - 1, point), content) == content


def test_adjunct_of_the_cue_after_a_quotation_is_not_a_piece() -> None:
    from according.extract.attribution.rules import RawAttribution
    from according.extract.attribution.revise import revise

    doc = _nlp()('"He better not be hurt," she said, while walking along the street.')
    said = next(t.i for t in doc if t.text == "said")
    raw = RawAttribution(cue=(said, said + 1), source=(said - 1, said), content=(0, len(doc) - 1), cue_head=said)
    out = list(revise(doc, [raw], _extractor().lexicon))
    assert len(out) == 1 and not out[0].content_fragments
    assert doc[out[0].content[0]:out[0].content[1]].text == '"He better not be hurt,"'


NESTED = [
    ("The analyst said he thinks the campaign has stayed vague on purpose.", "thinks"),
    ("The mayor said she believes the bridge will reopen in May.", "believes"),
]


@pytest.mark.parametrize("text,nested", NESTED)
def test_nested_rule_cues_can_be_left_out(text: str, nested: str) -> None:
    from according.extract.attribution import extract_attributions

    doc = _nlp()(text)
    default = [a.cue.text for a in extract_attributions(doc, _extractor())]
    assert "said" in default and nested in default  # the real-news convention marks both
    polnear = dataclasses.replace(_extractor(), nested_rule_cues=False)
    assert [a.cue.text for a in extract_attributions(doc, polnear)] == ["said"]


def test_content_is_not_completed_over_an_adjunct_of_the_report() -> None:
    from according.extract.attribution.revise import complete_phrase

    doc = _nlp()("She said the talks would fail in an interview with the Herald on Sunday.")
    said = next(t.i for t in doc if t.text == "said")
    fail = next(t.i for t in doc if t.text == "fail")
    content = (said + 1, fail + 1)
    assert complete_phrase(doc, (said, said + 1), (0, 1), content) == content


def test_passive_recipient_is_no_piece_of_a_that_clause() -> None:
    from according.extract.attribution.revise import _subject_piece

    doc = _nlp()("The reporters were told that the talks had failed.")
    told = next(t for t in doc if t.text == "told")
    subject = next(c for c in told.children if c.dep_ == "nsubjpass")
    failed = next(t.i for t in doc if t.text == "failed")
    that = next(t.i for t in doc if t.text == "that")
    assert _subject_piece(doc, told, subject, None, (that + 1, failed + 1)) is None
    doc = _nlp()("The rebels are not thought to be capable of an attack.")
    thought = next(t for t in doc if t.text == "thought")
    subject = next(c for c in thought.children if c.dep_ == "nsubjpass")
    piece = _subject_piece(doc, thought, subject, None, (thought.i + 1, len(doc) - 1))
    assert piece is not None and doc[piece[0]:piece[1]].text == "The rebels"


def _revised_source(text: str, cue: str, content: str) -> Optional[str]:
    """The source ``revise`` gives a cue found with no source (as the CRF may hand it over)."""
    from according.extract.attribution.rules import RawAttribution
    from according.extract.attribution.revise import revise

    doc = _nlp()(text)
    k = next(t.i for t in doc if t.text == cue)
    start = text.index(content)
    span = doc.char_span(start, start + len(content), alignment_mode="expand")
    raw = RawAttribution(cue=(k, k + 1), source=None, content=(span.start, span.end), cue_head=k)
    out = list(revise(doc, [raw], _extractor().lexicon))
    if not out:
        return None
    source = out[0].source
    return doc[source[0]:source[1]].text if source is not None else ""


# A verb cue handed over without a source takes the subject the parse gives it or the verb it hangs from.
@pytest.mark.parametrize("text,cue,content,source", [
    ('"We are ready," the coach said, citing a week of hard training.', "citing", "a week of hard training",
     "the coach"),
    ("The governor cut the budget and warned that more cuts would come.", "warned", "more cuts would come",
     "The governor"),
    ("Ms. Okafor told the committee that the audit was late.", "told", "the audit was late", "Ms. Okafor"),
])
def test_a_sourceless_verb_cue_takes_its_parsed_subject(text: str, cue: str, content: str, source: str) -> None:
    assert _revised_source(text, cue, content) == source


# ... but an expletive or a subject that cannot speak is no source, and the cue is still dropped.
@pytest.mark.parametrize("text,cue,content", [
    ("It seemed a sensible plan at the time.", "seemed", "a sensible plan"),
    ("The bridge appears to need repairs.", "appears", "to need repairs"),
])
def test_no_speaking_subject_no_attribution(text: str, cue: str, content: str) -> None:
    assert _revised_source(text, cue, content) is None


def _revised(text: str, cue: str, content: str) -> list:
    from according.extract.attribution.rules import RawAttribution
    from according.extract.attribution.revise import revise

    doc = _nlp()(text)
    start = text.index(cue)
    cue_span = doc.char_span(start, start + len(cue), alignment_mode="expand")
    start = text.index(content)
    span = doc.char_span(start, start + len(content), alignment_mode="expand")
    raw = RawAttribution(cue=(cue_span.start, cue_span.end), source=(0, cue_span.start),
                         content=(span.start, span.end), cue_head=cue_span.start)
    return list(revise(doc, [raw], _extractor().lexicon))


# "spoke about X", "talked of X": a speech verb and its topic is an attribution; "spoke to X" is not.
@pytest.mark.parametrize("text,cue,content,kept", [
    ("Hunter spoke about the need for tighter border checks.", "spoke about", "the need for tighter border checks", True),
    ("Hunter talked of reforms to the tax code.", "talked of", "reforms to the tax code", True),
    ("Hunter spoke to the Herald on Wednesday.", "spoke to", "the Herald", False),
    ("Hunter spoke about.", "spoke about", ".", False),
])
def test_a_spoken_topic(text: str, cue: str, content: str, kept: bool) -> None:
    assert bool(_revised(text, cue, content)) is kept


# A content that opens a quotation ends where the quotation closes, sentences later.
@pytest.mark.parametrize("text,cue,ending", [
    ("“We tried everything,” the coach said. “The players were tired. The pitch was wet. Nobody could run. "
     "The referee was slow. The fans were quiet. We lost.”", "said", "We lost.”"),
    ("The mayor said the bridge was “a disgrace to the city. Nobody has repaired it in ten years. The rails "
     "are rusty. The lights are out. The paint is gone. We will fix it.”", "said", "We will fix it.”"),
])
def test_content_runs_to_its_closing_quotation_mark(text: str, cue: str, ending: str) -> None:
    contents = [a.content.text for a in with_cue(attributions(text), cue) if a.content is not None]
    assert any(c.endswith(ending) for c in contents), contents


# The show a cue was spoken on is where it was said, not a piece of what was said.
@pytest.mark.parametrize("text,cue,content", [
    ("Speaking on “Evening Desk,” the senator said the bill would pass.", "said", "the bill would pass"),
    ("In an interview with “Morning Hour,” Dana Kerr said she would run again.", "said", "she would run again"),
    ("Last week on the “Valley Report,” the mayor said the tunnel would open in May.", "said",
     "the tunnel would open in May"),
])
def test_a_setting_before_the_cue_is_no_piece_of_the_content(text: str, cue: str, content: str) -> None:
    found = one(text, cue)
    assert found.content is not None and found.content.text == content
    assert not found.content_fragments


def test_a_subject_before_the_cue_stays_a_piece() -> None:
    found = one("“Morning Hour,” Dana Kerr said, was where she first heard the news.", "said")
    assert [f.text for f in found.content_fragments] == ["“Morning Hour,”", "was where she first heard the news"]


# How a quotation was said, after its cue, is no piece of it.
@pytest.mark.parametrize("text,cue,content", [
    ("“I am tired,” she explained with a smile.", "explained", "“I am tired,”"),
    ("“Nobody told us anything,” the farmer explained with a sigh.", "explained", "“Nobody told us anything,”"),
])
def test_the_manner_of_a_quotation_is_no_piece_of_it(text: str, cue: str, content: str) -> None:
    found = one(text, cue)
    assert found.content is not None and found.content.text == content


def test_an_adjunct_further_down_the_cue_is_the_cue_s() -> None:
    from according.extract.attribution.revise import _cue_adjunct

    doc = _nlp()("“The bridge will reopen in June,” the mayor said, before clarifying that the date could slip.")
    said = next(t for t in doc if t.text == "said")
    that = next(t for t in doc if t.text == "that")
    assert _cue_adjunct(doc, (said.i, said.i + 1), said.i, (that.i, len(doc) - 1))
    # a cue ending on "of" has its topic after it
    doc = _nlp()("“It was a long winter,” she says of the strike.")
    of = next(t for t in doc if t.text == "of")
    assert not _cue_adjunct(doc, (of.i - 1, of.i + 1), of.i - 1, (of.i + 1, len(doc) - 1))


# A speaker's "as" clause attributes the clause it hangs from.
def test_an_as_clause_attributes_its_main_clause() -> None:
    found = one("Raising the tax on fuel also carries risks, as the minister’s critics point out.", "point out")
    assert source_of_text(found) == "the minister’s critics"
    assert found.content is not None and found.content.text == "Raising the tax on fuel also carries risks"


def source_of_text(a: Attribution) -> Optional[str]:
    return a.source.text if a.source is not None else None


def test_an_unquoted_content_ends_before_the_next_sentence_s_quotation() -> None:
    found = one('The governor assured the crowd that the plant would stay open. "You will keep your jobs."', "assured")
    assert found.content is not None and found.content.text.endswith("would stay open")


# What a closing "according to" attributes starts with its sentence, after an opening connective.
@pytest.mark.parametrize("text,content", [
    ("In 2019, about 40 percent of the wells in the valley ran dry, according to the water board.",
     "In 2019, about 40 percent of the wells in the valley ran dry"),
    ("But at the harbour, two ferries sank during the storm, according to the coast guard.",
     "at the harbour, two ferries sank during the storm"),
])
def test_a_closing_according_to_attributes_its_sentence(text: str, content: str) -> None:
    found = one(text, "according to")
    assert found.content is not None and found.content.text == content


def test_an_opening_according_to_attributes_the_rest_of_its_sentence() -> None:
    found = one("According to early results of a survey conducted for the county and two local papers, most "
                "residents in all five districts say they feel ignored by the council.", "According to")
    assert found.content is not None
    assert found.content.text == "most residents in all five districts say they feel ignored by the council"


def test_a_condition_before_its_cue_keeps_its_if() -> None:
    found = one("If the council refuses, she said, the school will close in June.", "said")
    assert [f.text for f in found.content_fragments] == ["If the council refuses", "the school will close in June"]


def test_a_later_paragraph_s_quotation_reported_by_another_cue_is_not_the_first_cue_s() -> None:
    from according.extract.attribution.revise import within_paragraph
    from according.extract.attribution.rules import RawAttribution

    doc = _nlp()("“The road is finished at last,” the engineer said.\n\n“The traffic can flow again,” she added.")
    said = next(t.i for t in doc if t.text == "said")
    added = next(t.i for t in doc if t.text == "added")
    second = next(t.i for t in doc if t.i > said and t.text == "“")
    close = next(t.i for t in doc if t.i > second and t.text == "”") + 1
    first = RawAttribution(cue=(said, said + 1), source=(said - 2, said), content=(0, said - 2), cue_head=said)
    carried = RawAttribution(cue=(said, said + 1), source=(said - 2, said), content=(second, close), cue_head=said)
    own = RawAttribution(cue=(added, added + 1), source=(added - 1, added), content=(second, close), cue_head=added)
    assert within_paragraph(doc, [first, carried, own]) == [first, own]
    # a quotation of the next paragraph that no other cue reports stays the speaker's
    assert within_paragraph(doc, [first, carried]) == [first, carried]


def test_a_quotation_continues_a_report_the_parser_did_not_end_before_it() -> None:
    import spacy
    from spacy.tokens import Doc

    from according.extract.attribution.revise import continued_quotations
    from according.extract.attribution.rules import RawAttribution

    # one sentence to the parser: the second quotation hangs from "said" (a parse seen on newswire text)
    words = ["“", "We", "lost", "it", ",", "”", "said", "Jo", "Kim", ",", "a", "farmer", ".",
             "“", "We", "will", "try", ".", "”"]
    heads = [6, 2, 6, 2, 6, 6, 6, 8, 6, 8, 11, 8, 6, 16, 16, 16, 6, 16, 16]
    deps = ["punct", "nsubj", "ccomp", "dobj", "punct", "punct", "ROOT", "compound", "nsubj", "punct", "det",
            "appos", "punct", "punct", "nsubj", "aux", "parataxis", "punct", "punct"]
    doc = Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)
    said = RawAttribution(cue=(6, 7), source=(7, 12), content=(0, 6), cue_head=6)
    assert [r.content for r in continued_quotations(doc, [said])] == [(0, 6), (13, 19)]
