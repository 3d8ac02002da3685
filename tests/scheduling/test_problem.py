import dataclasses

import pytest

from scheduling import Buyer, Maker, Meeting, ProblemError, check, validate

from sched_helpers import fair


def fields(problem):
    return {e.field: e for e in validate(problem)}


def test_valid_fair_has_no_errors(small_fair):
    assert validate(small_fair) == []
    check(small_fair)


def test_zero_tables():
    p = fair(n_tables=0)
    with pytest.raises(ProblemError) as ei:
        check(p)
    assert ei.value.field == "tables" and "zero tables" in ei.value.message


def test_participant_with_no_available_slot():
    p = fair(n_slots=2, buyers=[Buyer("B1", unavailable=frozenset({"S1", "S2"}))])
    e = fields(p)["buyers[B1].unavailable"]
    assert "no available slot" in e.message and e.kind == "invalid"


def test_unknown_ids_in_requests_and_locks():
    p = fair(prefs=[("B9", "M1", "must", None, None), ("B1", "M1", "maybe", None, 1.5)],
             locked=[Meeting("B1", "M1", "S99", "T1")])
    f = fields(p)
    assert "unknown buyer id 'B9'" in f["preferences[0].buyer"].message
    assert "unknown mark" in f["preferences[1].buyer_mark"].message
    assert "outside [0, 1]" in f["preferences[1].score"].message
    assert "unknown slot id 'S99'" in f["locked[0].slot"].message


def test_locked_conflicts_are_reported_as_conflicts():
    p = fair(prefs=[("B1", "M2", "no", None, None)],
             locked=[Meeting("B1", "M1", "S1", "T1"), Meeting("B1", "M3", "S1", "T2"),
                     Meeting("B2", "M2", "S2", "T1"), Meeting("B1", "M2", "S3", "T1")])
    errs = validate(p)
    assert [e.field for e in errs] == ["locked[1]", "locked[3]"]
    assert all(e.kind == "conflict" for e in errs)
    assert "B1 already has a locked meeting in slot S1" in errs[0].message
    assert "'no'" in errs[1].message
    check(p)  # conflicts are not raised: the solver reports them


def test_min_above_max_and_fixed_table_unknown():
    p = fair(makers=[Maker("M1", min_meetings=5, max_meetings=2, fixed_table="T9")])
    f = fields(p)
    assert "exceeds max_meetings" in f["makers[M1]"].message
    assert "unknown table id 'T9'" in f["makers[M1].fixed_table"].message


def test_duplicate_ids():
    p = fair()
    p = dataclasses.replace(p, buyers=p.buyers + [Buyer("B1")])
    assert "duplicate id 'B1'" in fields(p)["buyers"].message


def test_package_never_imports_the_app():
    import pathlib
    import re
    root = pathlib.Path(__file__).resolve().parents[2] / "scheduling"
    for f in root.glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+matchmaker\b", f.read_text(), re.M), f
