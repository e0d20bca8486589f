"""A plan and its deed of an attack join; of a withdrawal they stay two. A country "acting on itself" is the
coder's default only for a government: a group coded from the place it met conflicts as any named party.

Hand-built Reports in a real SQLite ledger, as in test_ledger_lookback.py: the merge is tested, not extraction.
"""
from __future__ import annotations

from typing import Optional

from according.ledger.stories import _government, update_stories
from according.records import Actor, ArticleInfo, Event, Report
from ledger_support import build as _build, content_hash as _hash, mention, stories as _stories

def _party(text: str, phrase: str, code: str, sector: Optional[str]) -> Actor:
    m = mention(text, phrase)
    return Actor(phrase, m.span, phrase, code, sector, "country" if sector == "GOV" else "group")


def _report(text: str, outlet: str, published: str, etype: str, trigger: str, actor: tuple, recipient: tuple,
            status: str = "completed") -> Report:
    """One event; ``actor`` and ``recipient``: (phrase, code, sector)."""
    event = Event(etype, mention(text, trigger), _party(text, *actor), _party(text, *recipient), status=status,
                  sentence=(0, len(text)), id="e1")
    return Report(ArticleInfo(published=published, outlet=outlet), text, events=(event,))


def _assault(text: str, outlet: str, published: str, trigger: str, status: str) -> Report:
    return _report(text, outlet, published, "ASSAULT", trigger, ("Turkey", "TUR", "GOV"), ("Syria", "SYR", "GOV"),
                   status)


PLAN = _assault("Turkey is making final plans to attack Syria's Kurdish enclave of Afrin, where the YPG militia "
                "holds the border hills, officials in Ankara said.", "Daily Ledger", "2024-01-16", "attack", "planned")
DEED = _assault("Turkey launched its ground attack on Syria's Kurdish enclave of Afrin, shelling the border hills "
                "the YPG militia holds, officials in Ankara said.", "Metro Post", "2024-01-21", "attack", "completed")


def test_the_planned_attack_and_the_attack_days_later_are_one_story(tmp_path):
    with _build(tmp_path / "l.db", [PLAN, DEED]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Metro Post"]]


def test_the_planned_withdrawal_and_the_withdrawal_days_later_stay_two(tmp_path):
    """The same two reports of a withdrawal (material cooperation): the decision and the pull-out."""
    def retreat(r: Report, trigger: str, status: str) -> Report:
        text = r.text.replace("attack", trigger)
        return _report(text, r.article.outlet, r.article.published, "RETREAT", trigger, ("Turkey", "TUR", "GOV"),
                       ("Syria", "SYR", "GOV"), status)
    with _build(tmp_path / "l.db", [retreat(PLAN, "withdraw", "planned"), retreat(DEED, "withdraw", "completed")]) as led:
        assert _stories(led.conn) == [["Daily Ledger"], ["Metro Post"]]


def test_an_update_with_the_deed_equals_a_full_rebuild(tmp_path):
    with _build(tmp_path / "u.db", [PLAN]) as led:
        led.add_report(DEED, content_hash=_hash(DEED.text), origin="Metro Post")
        update_stories(led.conn)
        updated = _stories(led.conn)
    with _build(tmp_path / "f.db", [PLAN, DEED]) as led:
        assert updated == _stories(led.conn) == [["Daily Ledger", "Metro Post"]]


# Two articles on one topic (the Syria peace talks); the first codes the meeting's place as both parties
TALKS = ("Syrian opposition delegation talks Geneva peace envoy Mistura unified delegation Assad transition "
         "Riyadh statement boycott government negotiators round collapse")
RIYADH = ("Rival groups in Saudi Arabia agreed a unified opposition delegation for the Syrian peace talks in "
          "Geneva with the envoy Staffan de Mistura, a statement on Assad's transition said; " + TALKS + ".")
GENEVA = ("The Syrian peace talks in Geneva with a unified opposition delegation met the envoy Staffan de Mistura, "
          "as the government negotiators threatened a boycott; " + TALKS + ".")


def _riyadh(actor: tuple) -> Report:
    return _report(RIYADH, "Daily Ledger", "2024-11-23", "CONSULT", "agreed", actor, ("Saudi Arabia", "SAU", None))


def _geneva() -> Report:
    return _report(GENEVA, "Metro Post", "2024-11-28", "CONSULT", "talks", ("Staffan de Mistura", "CHE", None),
                   ("opposition", "SYR", "OPP"))


def test_a_group_coded_from_where_it_met_is_no_government_at_home(tmp_path):
    """"Rival groups in Saudi Arabia" (SAU, no sector) -> "Saudi Arabia": a place, not the coder's default for a
    government acting at home; the Geneva talks (CHE -> SYR) on the same topic stay another event."""
    with _build(tmp_path / "l.db", [_riyadh(("Rival groups in Saudi Arabia", "SAU", None)), _geneva()]) as led:
        assert _stories(led.conn) == [["Daily Ledger"], ["Metro Post"]]


def test_a_government_acting_at_home_may_still_differ_in_code_on_one_topic(tmp_path):
    """The same report with the government as actor (SAU -> SAU: the coder's default) joins, the conflict
    lowering its score."""
    text = RIYADH.replace("Rival groups in Saudi Arabia", "Saudi Arabia")
    riyadh = _report(text, "Daily Ledger", "2024-11-23", "CONSULT", "agreed", ("Saudi Arabia", "SAU", None),
                     ("Saudi Arabia", "SAU", None))
    with _build(tmp_path / "l.db", [riyadh, _geneva()]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Metro Post"]]
        why = led.conn.execute("SELECT why FROM merge_clusters WHERE why LIKE '%coded differently%'").fetchone()
        assert why is not None


def test_government():
    assert _government("GOV", "the Pentagon")
    assert _government(None, "Syria") and _government(None, "Saudi Arabia")
    assert not _government(None, "rival groups in Saudi Arabia")
    assert not _government("REB", "Syria") and not _government(None, None)
