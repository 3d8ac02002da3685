from sched_helpers import fair, independent_violations

from scheduling import (Buyer, Cancellation, Maker, Meeting, NoShow, SolveOptions, Withdrawal,
                        diagnose, repair, solve, verify)

FAST = SolveOptions(time_limit=5)


def busy_fair():
    prefs = [(f"B{b}", f"M{m}", "must" if (b + m) % 3 == 0 else "would_like", None, 0.5)
             for b in range(1, 5) for m in range(1, 6)]
    return fair(n_buyers=4, n_makers=5, n_slots=4, n_tables=3, prefs=prefs)


def test_withdrawal_keeps_untouched_meetings_and_reports_diffs():
    p = busy_fair()
    before = solve(p, FAST).schedule
    r = repair(p, before, [Withdrawal("M1")], options=FAST)
    assert all("M1" != m.maker for m in r.schedule.meetings)
    assert verify(p.replace(makers=[m for m in p.makers if m.id != "M1"],
                            preferences=[q for q in p.preferences if q.maker != "M1"]),
                  r.schedule) == []
    untouched = [m for m in before.meetings if m.maker != "M1"]
    assert all(m in r.schedule.meetings for m in untouched)    # nobody else moved
    lost = [m for m in before.meetings if m.maker == "M1"]
    for m in lost:
        assert any(c.kind == "removed" and c.meeting == m for c in r.changes[m.buyer])
    assert r.removed == len(lost) and r.moved == 0
    for pid, changes in r.changes.items():
        for c in changes:
            assert pid in (c.meeting.buyer, c.meeting.maker)


def test_cancellation_frees_capacity_for_new_meeting():
    # One table, two slots, three requests: one is left out at first.
    p = fair(n_buyers=3, n_makers=1, n_slots=2, n_tables=1, prefs=[
        ("B1", "M1", "must", "must", None), ("B2", "M1", "must", None, None),
        ("B3", "M1", "would_like", None, None)])
    before = solve(p, FAST).schedule
    assert before.pairs() == {("B1", "M1"), ("B2", "M1")}
    r = repair(p, before, [Cancellation("B2", "M1")], options=FAST)
    assert r.schedule.pairs() == {("B1", "M1"), ("B3", "M1")}
    assert [c.kind for c in r.changes["B3"]] == ["added"]
    assert [c.kind for c in r.changes["B2"]] == ["removed"]
    kept = next(m for m in before.meetings if m.buyer == "B1")
    assert kept in r.schedule.meetings


def test_no_show_frozen_past_and_rest_of_session():
    p = busy_fair()
    before = solve(p, FAST).schedule
    r = repair(p, before, [NoShow("B2", "S2")], from_slot="S2", options=FAST)
    past = [m for m in before.meetings if m.slot == "S1"]
    assert all(m in r.schedule.meetings for m in past)
    assert not [m for m in r.schedule.meetings if m.buyer == "B2" and m.slot != "S1"]
    assert independent_violations(p, r.schedule.meetings) == []


def test_min_exceeding_slots_is_reported_not_raised():
    p = fair(n_slots=6, makers=[Maker("M3", min_meetings=10, unavailable=frozenset()),
                                 Maker("M1")],
             prefs=[("B1", "M3", "must", None, None), ("B1", "M1", None, None, 0.4)])
    p = p.replace(slots=p.slots)
    r = solve(p, FAST)
    msgs = r.report.messages()
    assert "maker M3 needs min 10 meetings but has only 6 available slots" in msgs
    assert r.report.shortfalls["M3"] == 9
    assert r.schedule.meetings  # still a schedule


def test_min_exceeding_partners_and_capacity():
    p = fair(n_slots=2, n_tables=1, buyers=[Buyer("B1", min_meetings=2), Buyer("B2", min_meetings=2)],
             prefs=[("B1", "M1", "must", None, None), ("B2", "M1", "must", None, None),
                    ("B2", "M2", None, None, 0.5)])
    rep = diagnose(p)
    kinds = {(f.constraint, f.subject) for f in rep.findings}
    assert ("min_meetings>possible_partners", "B1") in kinds
    assert ("sum_min>table_capacity", "*") in kinds
    assert any("B1 needs min 2 meetings but has only 1 possible partners" in m
               for m in rep.messages())


def test_conflicting_locked_meetings_are_dropped_and_named():
    a, b = Meeting("B1", "M1", "S1", "T1"), Meeting("B1", "M2", "S1", "T2")
    p = fair(prefs=[("B1", "M1", "must", None, None), ("B1", "M2", "must", None, None)],
             locked=[a, b])
    r = solve(p, FAST)
    assert a in r.schedule.meetings and r.dropped_locked == [b]
    assert any(f.constraint == "locked_conflict" and f.subject == "locked[1]"
               and "already has a locked meeting in slot S1" in f.message
               for f in r.report.findings)
    assert verify(p, r.schedule) == []
