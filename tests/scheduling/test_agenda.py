import dataclasses
import io
import re
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sched_helpers import fair

from scheduling import (Buyer, Maker, SolveOptions, agenda_pdf, organizer_grid, participant_ics,
                        read_csv, schedule_csv, solve)
from scheduling.agenda import CalledOff, latin1


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
    stamp = datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)
    assert (participant_ics(p, s, "B1", venue="Expo Guadalajara", stamp=stamp)
            == participant_ics(p, s, "B1", venue="Expo Guadalajara", stamp=stamp))  # stable for one moment


def zoned(p):
    """The problem with its slots at the venue's zone, as the application builds them."""
    zone = ZoneInfo("America/Mexico_City")
    return dataclasses.replace(p, slots=[dataclasses.replace(x, start=x.start.replace(tzinfo=zone),
                                                             end=x.end.replace(tzinfo=zone)) for x in p.slots])


def test_ics_defines_its_zone_stamps_now_and_carries_sequences():
    p, s = solved()
    p = zoned(p)
    mine = sorted(s.for_participant("B1"), key=lambda m: m.slot)
    uid = f"B1-{mine[0].maker}@matchmaker"
    before = datetime.now(timezone.utc).replace(microsecond=0)
    off = CalledOff("B1-M9@matchmaker", p.slots[2].start, p.slots[2].end, "Off: Taller Nueve", 4)
    cal = Calendar.from_ical(participant_ics(p, s, "B1", sequences={uid: 3}, called_off=[off]))
    zones = [str(z["TZID"]) for z in cal.walk("VTIMEZONE")]
    assert zones == ["America/Mexico_City"]
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    for e in events.values():
        assert e["DTSTART"].params["TZID"] == "America/Mexico_City"
        assert e.decoded("DTSTAMP") >= before and e.decoded("DTSTAMP").utcoffset().total_seconds() == 0
        assert e.decoded("DTSTAMP") != e.decoded("DTSTART")
    assert int(events[uid]["SEQUENCE"]) == 3
    assert int(events[f"B1-{mine[1].maker}@matchmaker"]["SEQUENCE"]) == 0
    assert str(events[off.uid]["STATUS"]) == "CANCELLED" and int(events[off.uid]["SEQUENCE"]) == 4
    assert str(events[uid]["STATUS"]) == "CONFIRMED"


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())  # a cell may wrap: compare words, not line breaks


def test_pdf_prints_any_name_in_the_given_words_and_dates():
    p = fair(n_buyers=1, n_makers=2, n_slots=2, n_tables=1,
             buyers=[Buyer("B1", "Dương Thị Hạnh Trading")],
             makers=[Maker("M1", "Łódź Denim Sp. z o.o."), Maker("M2", "Ørsted Ünal Tekstil")],
             prefs=[("B1", "M1", "must", None, None), ("B1", "M2", "must", None, None)])
    s = solve(p, SolveOptions(time_limit=5)).schedule
    text = _pdf_text(agenda_pdf(
        p, s, "B1", venue="Expo Guadalajara", fair_name="Feria de Mezclilla",
        text={"agenda": "Agenda", "time": "Hora", "table": "Mesa", "with": "Reunión con", "none": "—"},
        when=lambda slot: f"miércoles 12 de marzo de 2025, {slot.start:%H:%M}"))
    for words in ("Dương Thị Hạnh Trading", "Łódź Denim Sp. z o.o.", "Ørsted Ünal Tekstil", "Reunión con",
                  "Hora", "miércoles 12 de marzo de 2025, 09:00"):
        assert words in text, (words, text)
    english = _pdf_text(agenda_pdf(p, s, "B1"))
    assert "Meeting with" in english and "Wed 12 Mar 2025 09:00" in english


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
