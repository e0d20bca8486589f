"""Linking events to their backing and denials, and merging repeated mentions within one article."""
from __future__ import annotations

from dataclasses import replace

from according.link import backing_attributions, corefers, link_anaphora, merge_coreferent
from according.records import Actor, Attribution, Event, EventObject, Mention, Source, TimeExpression


def actor(code: str) -> Actor:
    return Actor(text=code, span=(0, 1), name=code, country=code)


def event(start: int, *, actor_code=None, recipient=None, cls=None, status="completed", type_="AID", resolved=None) -> Event:
    return Event(
        type=type_, trigger=Mention("gave", (start, start + 4)),
        actor=actor(actor_code) if actor_code else None, recipient=actor(recipient) if recipient else None,
        object=EventObject("missiles", (start + 5, start + 13), cls=cls) if cls else None, status=status,
        time=TimeExpression("x", (0, 1), resolved=resolved, kind="month") if resolved else None,
    )


def attribution(aid: str, content: tuple[int, int], *, stance="asserted", cue=(0, 4)) -> Attribution:
    return Attribution(id=aid, source=Source("officials", (0, 9), "anonymous"), cue=Mention("said", cue),
                       content=Mention("...", content), stance=stance)


def test_innermost_attribution_backs_the_event():
    outer = attribution("a1", (10, 200), cue=(5, 9))  # "CNN reports that officials said Iran gave ..."
    inner = attribution("a2", (50, 120), cue=(40, 44))
    assert backing_attributions(event(60), [outer, inner]) == (("a2",), ())
    assert backing_attributions(event(150), [outer, inner]) == (("a1",), ())
    assert backing_attributions(event(300), [outer, inner]) == ((), ())


def test_denial_links_as_denied_by_but_a_denial_verb_as_trigger_does_not():
    denial = attribution("a4", (50, 90), stance="denied", cue=(40, 46))
    assert backing_attributions(event(60), [denial]) == ((), ("a4",))
    assert backing_attributions(event(40), [denial]) == (("a4",), ())  # the event is the denying itself


def test_partial_mention_joins_the_earlier_event_and_brings_its_denial():
    full = event(10, actor_code="IRN", recipient="RUS", cls="ballistic_missile")
    partial = event(300, cls=None)  # "the transfer had been carried out"


    merged = merge_coreferent([replace(full, attributions=("a2",), mentions=(full.trigger,)),
                               replace(partial, denied_by=("a4",), mentions=(partial.trigger,))])
    assert len(merged) == 1
    assert merged[0].attributions == ("a2",) and merged[0].denied_by == ("a4",)
    assert [m.span[0] for m in merged[0].mentions] == [10, 300]


def test_distinct_events_stay_apart():
    missiles = event(10, actor_code="IRN", recipient="RUS", cls="ballistic_missile")
    assert not corefers(missiles, event(90, actor_code="IRN", recipient="RUS", cls="drone"))
    assert not corefers(missiles, event(90, actor_code="PRK", recipient="RUS", cls="ballistic_missile"))
    assert not corefers(missiles, event(90, actor_code="IRN", recipient="RUS", cls="ballistic_missile", status="hypothetical"))
    assert not corefers(event(10, actor_code="IRN", resolved="2023-09"), event(90, actor_code="IRN", resolved="2024-09"))
    assert not corefers(missiles, event(90, actor_code="IRN", recipient="RUS", type_="COOPERATE"))
    assert corefers(missiles, event(90, actor_code="IRN", cls="missile"))  # the general class of the same thing
    # "the army is shelling the city" ... "the army shelled the city": each mention keeps its own status
    assert not corefers(event(10, actor_code="SYR", status="ongoing", type_="ASSAULT"),
                        event(90, actor_code="SYR", status="completed", type_="ASSAULT"))


def test_an_undated_mention_is_not_the_one_dated_far_from_publication():
    # "the withdrawal" (told as current, in a 2018-12-20 article) and "a withdrawal in 2015"
    undated, in_2015 = event(10, actor_code="USA"), replace(event(90, actor_code="USA"), time=TimeExpression("in 2015", (95, 102), resolved="2015", kind="year"))
    assert corefers(undated, in_2015)  # no publication day: nothing to compare with
    assert not corefers(undated, in_2015, published="2018-12-20")
    assert len(merge_coreferent([undated, in_2015], published="2018-12-20")) == 2
    assert corefers(undated, event(90, actor_code="USA", resolved="2018-12"), published="2018-12-20")
    assert corefers(undated, replace(in_2015, time=TimeExpression("this year", (95, 104), resolved="2018", kind="year")),
                    published="2018-12-20")
    assert not corefers(event(90, actor_code="USA", resolved="2018-06"), undated, published="2018-12-20")


def test_denial_of_the_transfer_reaches_the_event_it_refers_to(analyzer):
    text = ("Iran gave drones to Russia last year, officials said. "
            "Iran's foreign ministry denied the transfer in a statement. "
            "China denied that it would send troops.")
    report = analyzer.analyze(text, published="2024-09-07")
    [aid] = [e for e in report.events if e.type == "AID" and e.actor and e.actor.country == "IRN"]
    [denial] = [a for a in report.attributions if a.cue.text == "denied" and "transfer" in (a.content.text if a.content else "")]
    assert denial.stance == "denied"
    assert denial.id in aid.denied_by and aid.attributions  # backed by the officials, denied by the ministry


def test_a_denial_coded_as_an_event_still_denies_the_event_its_content_refers_to(nlp):
    text = "Iran gave drones to Russia last year. Iran's foreign ministry denied the transfer had taken place."
    doc = nlp(text)
    cue = (text.index("denied"), text.index("denied") + 6)
    denial = attribution("a1", (text.index("the transfer"), len(text) - 1), stance="denied", cue=cue)
    gave = replace(event(text.index("gave"), actor_code="IRN", recipient="RUS"), mentions=())
    rejection = replace(event(cue[0], actor_code="IRN", type_="REJECT"), trigger=Mention("denied", cue), attributions=("a1",))
    linked = link_anaphora(doc, [gave, rejection], [denial], lambda t: "AID" if t.lower_ == "transfer" else None)
    assert linked[0].denied_by == ("a1",)  # the denial's own event holds its cue, not the content it denies
    assert linked[1].attributions == ("a1",) and linked[1].denied_by == ()


def test_a_denial_denies_what_its_content_claims_not_an_act_a_modifier_mentions(nlp):
    text = "A senator disputed Trump's claim that Iran had armed the rebels, used to justify his decision to withdraw troops."
    doc = nlp(text)
    content = (text.index("Trump"), text.index("."))
    denial = attribution("a1", content, stance="denied", cue=(text.index("disputed"), text.index("disputed") + 8))
    claimed, aside = event(text.index("armed")), event(text.index("withdraw"))
    assert backing_attributions(claimed, [denial], doc) == ((), ("a1",))
    assert backing_attributions(aside, [denial], doc) == ((), ())
    assert backing_attributions(aside, [denial]) == ((), ("a1",))  # without the parse every holder is read alike


def test_one_trigger_read_twice_is_one_mention_of_the_merged_event():
    """"X said the attacks ...": two readings at one trigger merge into one event with one mention there."""
    first, second = event(10, actor_code="IRN", recipient="RUS"), event(10, actor_code="IRN", recipient="RUS")
    merged = merge_coreferent([replace(first, mentions=(first.trigger,)), replace(second, mentions=(second.trigger,))])
    assert len(merged) == 1 and [m.span for m in merged[0].mentions] == [(10, 14)]


def test_a_compound_party_completes_a_mention_that_names_one_member():
    """"Russia agreed ..." and "the deal Russia and Turkey agreed": one deal of both; a member of the
    compound actor is not the recipient."""
    russia = Actor("Russia", (0, 6), "Russia", "RUS")
    both = Actor("Russia and Turkey", (40, 57), "Russia and Turkey", "RUS", countries=("RUS", "TUR"))
    turkey = Actor("Turkey", (51, 57), "Turkey", "TUR")
    merged = merge_coreferent([replace(event(10, type_="AGREE"), actor=russia, mentions=(Mention("gave", (10, 14)),)),
                               replace(event(60, type_="AGREE"), actor=both, recipient=turkey, mentions=(Mention("gave", (60, 64)),))])
    assert len(merged) == 1
    assert merged[0].actor.codes == ("RUS", "TUR") and merged[0].recipient is None
