import re

from icalendar import Calendar
from sched_helpers import fair

from scheduling import (Buyer, Maker, SolveOptions, agenda_pdf, organizer_grid, participant_ics,
                        read_csv, schedule_csv, solve)
from scheduling.agenda import latin1


def solved():
    p = fair(n_buyers=2, n_makers=2, n_slots=3, n_tables=2,
             buyers=[Buyer("B1", "Peña Imports — México"), Buyer("B2", "Jürgen Åberg GmbH")],
             makers=[Maker("M1", "Confecciones Zapotlanejo, S.A. de C.V."),
                     Maker("M2", "Mezclilla Añil “Los Altos”")],
             prefs=[("B1", "M1", "must", "must", None), ("B1", "M2", "would_like", None, None),
                    ("B2", "M1", "must", None, None)])
    return p, solve(p, SolveOptions(time_limit=5)).schedule


def test_ics_parses_back_with_right_events():
    p, s = solved()
    data = participant_ics(p, s, "B1", venue="Expo Guadalajara")
    cal = Calendar.from_ical(data)
    events = cal.walk("VEVENT")
    mine = s.for_participant("B1")
    assert len(events) == len(mine) == 2
    uids = {str(e["UID"]) for e in events}
    assert uids == {f"B1-{m.maker}@matchmaker" for m in mine}
    loc = {str(e["LOCATION"]) for e in events}
    assert all(x.startswith("Expo Guadalajara, Mesa ") for x in loc)
    assert any("Zapotlanejo" in str(e["SUMMARY"]) for e in events)
    assert participant_ics(p, s, "B1", venue="Expo Guadalajara") == data  # stable


def test_pdf_pages_and_accents():
    p, s = solved()
    pdf = agenda_pdf(p, s, ["B1", "B2", "M1", "M2"], venue="Expo Guadalajara")
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type /Page\b", pdf)) == 4
    assert agenda_pdf(p, s, "M1").startswith(b"%PDF")
    assert latin1("Peña — “Añil” Łódź") == 'Peña - "Añil" Lódz'


def test_csv_round_trip_and_grid():
    p, s = solved()
    text = schedule_csv(p, s)
    assert "Confecciones Zapotlanejo, S.A. de C.V." in text
    assert read_csv(text).meetings == s.meetings
    g = organizer_grid(p, s)
    assert len(g.cells) == 3 and len(g.cells[0]) == 2
    placed = [c for row in g.cells for c in row if c]
    assert sorted(placed) == sorted(s.meetings)
    assert 0 < g.occupancy() <= 1
