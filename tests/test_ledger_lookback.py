"""A later article that looks back: a report dated only by its article's publication, naming a known act
("the withdrawal"), joins the story several outlets told months before; other reports stay apart.

Hand-built Reports in a real SQLite ledger, as in test_ledger_merge.py: the merge is tested, not extraction.
"""
from __future__ import annotations

import sqlite3

from according.ledger.stories import update_stories
from ledger_support import build as _build, content_hash as _hash, report, stories as _stories, why as _why

PLAN = dict(etype="RETREAT", actor="United States", recipient="Syria", status="planned")
ANNOUNCED = [
    report("The United States will withdraw its troops from Syria, the president announced on Monday in a "
           "surprise decision that dismayed allies.", "Daily Ledger", "2024-03-04", trigger="withdraw",
           time=("on Monday", "2024-03-04"), **PLAN),
    report("The United States plans to withdraw all its troops from Syria within weeks, officials said after "
           "the president's surprise decision.", "Metro Post", "2024-03-05", trigger="withdraw", **PLAN),
]
# three months later, with no time of its own: the withdrawal the president decided
LOOK_BACK = report("Critics say the withdrawal of the United States from Syria, which the president decided in a "
                   "surprise move, dismayed allies and left its troops' partners exposed.", "Harbor Times",
                   "2024-06-20", trigger="withdrawal", **PLAN)


def test_a_look_back_months_later_joins_the_story_two_outlets_told(tmp_path):
    with _build(tmp_path / "l.db", ANNOUNCED + [LOOK_BACK]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Harbor Times", "Metro Post"]]
        why = _why(led.conn, "Harbor Times")
        assert why.startswith("looks back") and "date 0.50" in why


def test_a_report_with_its_own_time_does_not_look_back(tmp_path):
    dated = report("The withdrawal of the United States from Syria, which the president decided in a surprise "
                   "move, began on Thursday and dismayed allies.", "Harbor Times", "2024-06-20",
                   trigger="withdrawal", time=("on Thursday", "2024-06-20"), **PLAN)
    with _build(tmp_path / "l.db", ANNOUNCED + [dated]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Metro Post"], ["Harbor Times"]]


def test_a_plain_verb_months_later_is_a_new_event(tmp_path):
    """"The United States will withdraw ..." again in June: a new announcement, not a look back."""
    again = report("The United States will withdraw its troops from Syria, the president said in a surprise "
                   "decision that dismayed allies.", "Harbor Times", "2024-06-20", trigger="withdraw", **PLAN)
    with _build(tmp_path / "l.db", ANNOUNCED + [again]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Metro Post"], ["Harbor Times"]]


def test_the_deed_does_not_join_the_plan(tmp_path):
    """Months after the decision, "the withdrawal, under way" tells of the withdrawal itself."""
    deed = report("Critics say the withdrawal of the United States from Syria, which the president decided in a "
                  "surprise move, is under way and dismayed allies.", "Harbor Times", "2024-06-20",
                  trigger="withdrawal", **{**PLAN, "status": "ongoing"})
    with _build(tmp_path / "l.db", ANNOUNCED + [deed]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Metro Post"], ["Harbor Times"]]


def test_a_story_one_article_told_is_not_looked_back_to(tmp_path):
    with _build(tmp_path / "l.db", ANNOUNCED[:1] + [LOOK_BACK]) as led:
        assert _stories(led.conn) == [["Daily Ledger"], ["Harbor Times"]]


def test_two_deliveries_a_month_apart_by_one_supplier_stay_apart(tmp_path):
    aid = dict(etype="AID", actor="Iran", recipient="Russia", status="completed")
    reports = [
        report("Iran delivered drones to Russia, officials said.", "Daily Ledger", "2024-09-06", trigger="delivered", **aid),
        report("Iran delivered drones to Russia, a diplomat said.", "Metro Post", "2024-09-07", trigger="delivered", **aid),
        report("Iran delivered more drones to Russia, a Western official said.", "Harbor Times", "2024-10-20",
               trigger="delivered", **aid),
    ]
    with _build(tmp_path / "l.db", reports) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Metro Post"], ["Harbor Times"]]


def _merge_rows(conn: sqlite3.Connection) -> list[tuple]:
    return sorted(conn.execute(
        "SELECT a.outlet, h.outlet, m.pos, m.why, m.score, sr.story_id FROM merge_clusters m"
        " JOIN events e ON e.id = m.event_id JOIN articles a ON a.id = e.article_id"
        " JOIN events he ON he.id = m.head JOIN articles h ON h.id = he.article_id"
        " JOIN story_reports sr ON sr.event_id = m.event_id"))


def test_an_update_with_a_look_back_equals_a_full_rebuild(tmp_path):
    """The look-back article ingested after the others: update_stories re-merges the story it looks
    back to (closed to the window) and gives what a full rebuild gives."""
    others = [report(f"Iran shelled Russia's border post {i}, officials said.", "Plains Courier",
                     f"2024-0{m}-1{i}", etype="ASSAULT", actor="Iran", recipient="Russia", trigger="shelled",
                     status="completed") for i, m in zip(range(10), (1, 1, 2, 3, 4, 5, 5, 6, 6, 7))]
    with _build(tmp_path / "u.db", ANNOUNCED + others) as led:
        led.add_report(LOOK_BACK, content_hash=_hash(LOOK_BACK.text), origin="Harbor Times")
        summary = update_stories(led.conn)
        assert summary.reports == 3  # the RETREAT block alone was merged again
        updated = _merge_rows(led.conn)
    with _build(tmp_path / "f.db", ANNOUNCED + others + [LOOK_BACK]) as led:
        full = _merge_rows(led.conn)
    assert updated == full
    assert any(why.startswith("looks back") for _, _, _, why, _, _ in full)


def test_within_the_window_the_troops_leaving_do_not_join_the_decision_to_withdraw(tmp_path):
    """Days after the announcement, "began withdrawing its troops" tells of the pull-out: another event."""
    leaving = report("The United States began withdrawing its troops from Syria on Thursday, days after the "
                     "president's surprise decision dismayed allies.", "Harbor Times", "2024-03-08",
                     trigger="withdrawing", etype="RETREAT", actor="United States", recipient="Syria",
                     status="completed", time=("on Thursday", "2024-03-07"))
    with _build(tmp_path / "l.db", ANNOUNCED + [leaving]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Metro Post"], ["Harbor Times"]]


PULL_OUT = dict(etype="RETREAT", actor="United States", recipient="Syria", trigger="withdrawing")
PULLING_OUT = [
    report("The United States began withdrawing its troops from Syria on Thursday, leaving the Kurdish-led "
           "forces exposed along the border.", "Daily Ledger", "2024-03-07", status="completed",
           time=("on Thursday", "2024-03-07"), **PULL_OUT),
    report("The United States started withdrawing its troops from Syria, leaving the Kurdish-led forces exposed, "
           "officials said.", "Metro Post", "2024-03-08", status="completed", **PULL_OUT),
]


def test_an_act_told_as_under_way_months_later_looks_back_to_the_story_it_continues(tmp_path):
    """"Is withdrawing", dated by its article only: the pull-out that began in March, not a new one."""
    ongoing = report("The United States is still withdrawing its troops from Syria, leaving the Kurdish-led forces "
                     "exposed, officials said.", "Harbor Times", "2024-06-20", status="ongoing", **PULL_OUT)
    with _build(tmp_path / "l.db", PULLING_OUT + [ongoing]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Harbor Times", "Metro Post"]]
        assert _why(led.conn, "Harbor Times").startswith("looks back")


def test_an_act_told_as_done_months_later_is_a_new_event(tmp_path):
    done = report("The United States withdrew its troops from Syria, leaving the Kurdish-led forces exposed, "
                  "officials said.", "Harbor Times", "2024-06-20", status="completed",
                  **{**PULL_OUT, "trigger": "withdrew"})
    with _build(tmp_path / "l.db", PULLING_OUT + [done]) as led:
        assert _stories(led.conn) == [["Daily Ledger", "Metro Post"], ["Harbor Times"]]
