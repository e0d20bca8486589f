"""Attribution extraction: hand-written sentences in the styles of wire, tabloid, broadsheet and broadcast
copy, negatives where nothing should be found, and the project's gold example."""
from __future__ import annotations

import json
from typing import Optional

import pytest

from according.records import Attribution
from attribution_support import attributions, extractor as _lexicon
from conftest import shared_path


def find(found: list[Attribution], cue: str, source: Optional[str], content: Optional[str]) -> Attribution:
    """The attribution whose cue holds ``cue`` and whose source and content hold the given words."""
    for a in found:
        if cue not in a.cue.text:
            continue
        if source is not None and (a.source is None or source not in (a.source.text or "")):
            continue
        if content is not None and (a.content is None or content not in a.content.text):
            continue
        return a
    shown = [(a.source and a.source.text, a.cue.text, a.content and a.content.text) for a in found]
    raise AssertionError(f"no attribution ({source!r}, {cue!r}, {content!r}) in {shown}")


# text, source, cue, content: the attribution that must be found (substring match on each role)
POSITIVE = [
    # wire
    ("The company will cut 500 jobs, a spokesman said on Tuesday.", "a spokesman", "said", "cut 500 jobs"),
    ("Prime Minister Jane Doe said the talks had collapsed.", "Jane Doe", "said", "the talks had collapsed"),
    ("Officials told Reuters that the plant would close next year.", "Officials", "told", "the plant would close"),
    ("According to the ministry, 12 people were killed in the blast.", "the ministry", "According to", "12 people were killed"),
    ("Twelve people were killed in the blast, according to local police.", "local police", "according to", "Twelve people were killed"),
    ("The army denied that its troops had fired on protesters.", "The army", "denied", "its troops had fired"),
    ("“We will not back down,” the minister said.", "the minister", "said", "We will not back down"),
    ("“We will not back down,” said Transport Minister Ali Khan.", "Ali Khan", "said", "We will not back down"),
    ("The ministry said in a statement that exports had doubled.", "The ministry", "said", "exports had doubled"),
    ("Two people familiar with the matter said the company was exploring a sale.", "Two people familiar with the matter", "said", "exploring a sale"),
    ("Police said the suspect had confessed to the robbery.", "Police", "said", "the suspect had confessed"),
    # tabloid
    ("The star told The Sun: “I’m heartbroken and I just want to be left alone.”", "The star", "told", "heartbroken"),
    ("A source close to the couple claimed they had split weeks ago.", "A source close to the couple", "claimed", "they had split"),
    ("Furious neighbours said the party went on until 4am.", "neighbours", "said", "the party went on"),
    ("Pop star Lily Vance insisted she had never met him.", "Lily Vance", "insisted", "she had never met him"),
    ("\"It was the worst night of my life,\" the 34-year-old said.", "the 34-year-old", "said", "worst night of my life"),
    # broadsheet
    ("Mr. Smith, who spent a decade at the Treasury, argued that the tax would hurt growth.", "Mr. Smith", "argued", "the tax would hurt growth"),
    ("The senator insisted that he had done nothing wrong.", "The senator", "insisted", "he had done nothing wrong"),
    ("Critics say the plan may raise prices for consumers.", "Critics", "say", "the plan may raise prices"),
    ("She said the allegation was false.", "She", "said", "the allegation was false"),
    ("The newspaper reported that the minister had resigned.", "The newspaper", "reported", "the minister had resigned"),
    ("The minister was the first to confirm that the border had reopened.", "The minister", "was the first to confirm", "the border had reopened"),
    ("The report found that emissions rose by four percent last year.", "The report", "found", "emissions rose"),
    ("Analysts believe the central bank will raise rates in June.", "Analysts", "believe", "the central bank will raise rates"),
    ("Russia has denied the accusations.", "Russia", "denied", "the accusations"),
    ("He warned that any attack would be met with force.", "He", "warned", "any attack would be met with force"),
    ("Economists expect that growth will slow next year.", "Economists", "expect", "growth will slow"),
    # broadcast transcript
    ("WOODRUFF: Senator, you said last week that the bill was dead.", "you", "said", "the bill was dead"),
    ("And our correspondent tells us the polls have now closed.", "our correspondent", "tells", "the polls have now closed"),
    ("The governor announced this morning that schools will stay closed.", "The governor", "announced", "schools will stay closed"),
    ("The president admitted on Sunday that mistakes were made.", "The president", "admitted", "mistakes were made"),
    ("WALLACE: Let's start with the debate.\nPENCE: Well, look, it was a good night for us.", "PENCE", ":", "it was a good night"),
    ("Partial transcript:\n\"HOST: Were you surprised by the result?", "HOST", ":", "Were you surprised"),
    ("“We will rebuild this town, brick by brick.” ― Maria Lopez, mayor", "Maria Lopez", "―", "We will rebuild this town"),
    # relative clause: the content is the noun the clause modifies
    ("The strike was the escalation that diplomats had warned about for months.", "diplomats", "warned about", "the escalation"),
]


@pytest.mark.parametrize("text,source,cue,content", POSITIVE)
def test_finds_attribution(text: str, source: str, cue: str, content: str) -> None:
    find(attributions(text), cue, source, content)


@pytest.mark.parametrize("text,source,cue,content", POSITIVE[:12])
def test_rules_alone_find_attribution(text: str, source: str, cue: str, content: str) -> None:
    find(attributions(text, use_model=False), cue, source, content)


NEGATIVE = [
    "He said goodbye.",
    "The said company filed for bankruptcy in May.",
    "Everything went according to plan.",
    "The train left according to schedule.",
    "The files were sorted according to size.",
    "The raid was carried out according to the rules of engagement.",
    "The bridge was closed for repairs on Monday.",
    "Prices rose sharply in March after the storm.",
    "They sat in silence for an hour.",
    "Saying goodbye is never easy.",
    "UPDATE: The road has reopened to traffic.",
]


@pytest.mark.parametrize("use_model", [True, False])
@pytest.mark.parametrize("text", NEGATIVE)
def test_finds_nothing(text: str, use_model: bool) -> None:
    found = attributions(text, use_model)
    assert found == [], [(a.source and a.source.text, a.cue.text) for a in found]


# text, cue, expected source type
SOURCE_TYPES = [
    ("Prime Minister Jane Doe said the talks had collapsed.", "said", "named_person"),
    ("Two people familiar with the intelligence said the talks had collapsed.", "said", "anonymous"),
    ("According to officials, the talks had collapsed.", "According to", "anonymous"),
    ("A CNN source said the talks had collapsed.", "said", "anonymous"),
    ("The Wall Street Journal reported that the talks had collapsed.", "reported", "media"),
    ("The Foreign Ministry said the talks had collapsed.", "said", "official_organization"),
    ("The report found that the talks had collapsed.", "found", "document"),
]


@pytest.mark.parametrize("text,cue,kind", SOURCE_TYPES)
def test_source_type(text: str, cue: str, kind: str) -> None:
    found = find(attributions(text), cue, None, None)
    assert found.source is not None and found.source.type == kind


# text, cue, expected stance
STANCES = [
    ("The embassy denied that the shipment had taken place.", "denied", "denied"),
    ("The ministry rejected the claim, officials said.", "rejected", "denied"),
    ("She said the report was false.", "said", "denied"),
    ("Officials said any transfer would represent a serious escalation.", "said", "conditional"),
    ("Analysts said the deal may collapse.", "said", "hedged"),
    ("The minister said the deal was signed on Monday.", "said", "asserted"),
    # a condition inside a relayed report conditions that report, not the relay
    ("Officials said the president warned that he would resign if the vote failed.", "said", "asserted"),
    ("Officials said the president warned that he would resign if the vote failed.", "warned", "conditional"),
    ("The minister said the army would withdraw if the talks failed.", "said", "conditional"),
]


@pytest.mark.parametrize("text,cue,stance", STANCES)
def test_stance(text: str, cue: str, stance: str) -> None:
    assert find(attributions(text), cue, None, None).stance == stance


@pytest.mark.parametrize("text,cue,quote", [
    ("“We will win,” the coach said.", "said", "direct"),
    ("The coach said that the team would “fight to the end” on Sunday.", "said", "mixed"),
    ("The coach said the team would win.", "said", "indirect"),
])
def test_quote_type(text: str, cue: str, quote: str) -> None:
    assert find(attributions(text), cue, None, None).quote == quote


@pytest.mark.parametrize("text,cue,channel", [
    ("The ministry denied the report in a statement to CNN.", "denied", "in a statement to CNN"),
    ("A spokeswoman told CNN that the talks had stalled.", "told", "CNN"),
])
def test_channel(text: str, cue: str, channel: str) -> None:
    found = find(attributions(text), cue, None, None)
    assert found.channel is not None and found.channel.text == channel


def test_quote_spanning_sentences_is_one_content() -> None:
    found = find(attributions("“We tried everything. Nothing worked,” the coach said."), "said", "the coach", None)
    assert found.content is not None and "We tried everything" in found.content.text and "Nothing worked" in found.content.text


def test_nested_source_links_parent() -> None:
    found = attributions("CNN reports that officials said the deal was close.")
    outer = find(found, "reports", "CNN", "the deal was close")
    inner = find(found, "said", "officials", "the deal was close")
    assert inner.parent == outer.id


@pytest.mark.parametrize("text,source,antecedent", [
    ("Maria Lopez has run the clinic since 2010. She said demand had doubled.", "She", "Maria Lopez"),
    ("Deputy Minister Omar Haddad met the delegation on Monday. The official said talks would resume.", "The official", "Omar Haddad"),
])
def test_antecedent(text: str, source: str, antecedent: str) -> None:
    found = find(attributions(text), "said", source, None)
    assert found.source is not None and found.source.antecedent is not None
    assert antecedent in found.source.antecedent.text


def test_ids_in_text_order() -> None:
    found = attributions("Police said the road was closed. The mayor said it would reopen soon.")
    assert [a.id for a in found] == [f"a{k + 1}" for k in range(len(found))]
    assert [a.cue.span for a in found] == sorted(a.cue.span for a in found)


def test_model_name_says_which_model() -> None:
    assert _lexicon(False).model_name == "rules"
    assert _lexicon(True).model_name in ("rules", "rules+crf-polnear-v1")


def _overlaps(a: tuple[int, int], b: list[int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


@pytest.mark.parametrize("use_model", [True, False])
def test_gold_example_attributions(use_model: bool) -> None:
    text_path = shared_path("examples", "iran-missiles-to-russia.txt")
    gold_path = shared_path("gold", "iran-missiles-to-russia.json")
    text = text_path.read_text(encoding="utf-8")
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    found = attributions(text, use_model)
    stance_names = {"assert": "asserted", "deny": "denied", "conditional": "conditional", "hedge": "hedged"}
    for g in gold["attributions"]:
        match = [a for a in found if _overlaps(a.cue.span, g["cue"]["span"])
                 and a.source is not None and _overlaps(a.source.span, g["source"]["span"])]
        assert match, f"missed {g['id']}: {g['source']['text']!r} {g['cue']['text']!r}"
        a = match[0]
        if g.get("content"):
            assert a.content is not None and _overlaps(a.content.span, g["content"]["span"]), g["id"]
        if g["stance"] in ("deny", "conditional"):
            assert a.stance == stance_names[g["stance"]], g["id"]


def test_dateline_is_neither_speaker_nor_content() -> None:
    found = attributions("Nairobi: Kenya will hold new elections in May, officials said.")
    assert all(a.cue.text != ":" for a in found)
    said = find(found, "said", "officials", "Kenya will hold new elections")
    assert said.content is not None and not said.content.text.startswith("Nairobi")


# "according to" + a noun that reports (a count, a review, polling) is a source; a norm or measure is not.
@pytest.mark.parametrize("text,expected", [
    ("The mayor leads by nine points, according to a count by the Herald.", True),
    ("Turnout fell in the north, according to polling by the teachers' union.", True),
    ("The word was used 80 times, according to a review of the transcripts.", True),
    ("According to the ministry, the road is closed.", True),
    ("Everything went according to plan.", False),
    ("The files were sorted according to size.", False),
])
def test_according_to_what(text: str, expected: bool) -> None:
    from according.extract.attribution import AttributionLexicon
    from according.extract.attribution.crf import plausible
    from according.extract.attribution.features import token_table

    from attribution_support import pipeline

    doc = pipeline()(text)
    lexicon = AttributionLexicon.load()
    k = next(t.i for t in doc if t.lower_ == "according")
    clause = (0, k) if k else (k + 4, len(doc) - 1)
    assert plausible(token_table(doc, lexicon), (k, k + 2), None, clause, lexicon) is expected
