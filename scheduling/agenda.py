"""Agendas from a finished schedule: ICS calendars, PDF handouts, CSV
export and the organizer's slots x tables grid.

Everything takes plain data (problem + schedule) and returns bytes/str or a
dataclass; the app decides how to serve or mail it. Names come from the
participants' ``name`` fields unless a ``names`` mapping overrides them.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass

from fpdf import FPDF
from icalendar import Calendar, Event

from .problem import Meeting, Problem, Slot, Table
from .schedule import Schedule

CSV_FIELDS = ["slot", "start", "end", "session", "table", "table_label",
              "buyer", "buyer_name", "maker", "maker_name"]


def _names(problem: Problem, names: dict[str, str] | None) -> dict[str, str]:
    out = {p.id: p.name or p.id for p in [*problem.buyers, *problem.makers]}
    out.update(names or {})
    return out


def _meetings_of(problem: Problem, schedule: Schedule, pid: str) -> list[Meeting]:
    order = problem.slot_index()
    return sorted(schedule.for_participant(pid), key=lambda m: order[m.slot])


def meeting_uid(m: Meeting, domain: str = "matchmaker") -> str:
    """Stable per pair, so a moved meeting updates the same calendar event."""
    return f"{m.buyer}-{m.maker}@{domain}"


def participant_ics(problem: Problem, schedule: Schedule, pid: str, *,
                    names: dict[str, str] | None = None, venue: str = "",
                    fair_name: str = "Matchmaker", domain: str = "matchmaker") -> bytes:
    """One VCALENDAR with a VEVENT per meeting of participant ``pid``."""
    nm = _names(problem, names)
    slots = {s.id: s for s in problem.slots}
    tables = {t.id: t for t in problem.tables}
    cal = Calendar()
    cal.add("prodid", f"-//{fair_name}//Matchmaker scheduling//ES")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{fair_name}: {nm.get(pid, pid)}")
    for m in _meetings_of(problem, schedule, pid):
        other = m.maker if pid == m.buyer else m.buyer
        slot, table = slots[m.slot], tables[m.table]
        ev = Event()
        ev.add("uid", meeting_uid(m, domain))
        ev.add("dtstamp", slot.start)  # deterministic output
        ev.add("dtstart", slot.start)
        ev.add("dtend", slot.end)
        ev.add("summary", f"{fair_name}: {nm.get(other, other)}")
        ev.add("location", ", ".join(x for x in (venue, table.label or table.id) if x))
        ev.add("description", f"{nm.get(m.buyer, m.buyer)} / {nm.get(m.maker, m.maker)}")
        cal.add_component(ev)
    return cal.to_ical()


_PUNCT = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
                        "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u20ac": "EUR",
                        "\u0141": "L", "\u0142": "l", "\u0152": "OE", "\u0153": "oe"})


def latin1(text: str) -> str:
    """Make text printable with PDF core fonts (latin-1): keeps á, é, ñ, ü;
    folds other accents to their base letter; anything else becomes '?'."""
    out = []
    for ch in text.translate(_PUNCT):
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


def agenda_pdf(problem: Problem, schedule: Schedule, pids: list[str] | str, *,
               names: dict[str, str] | None = None, venue: str = "",
               fair_name: str = "Matchmaker") -> bytes:
    """PDF agenda, one page per participant in ``pids``."""
    nm = _names(problem, names)
    slots = {s.id: s for s in problem.slots}
    tables = {t.id: t for t in problem.tables}
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    for pid in [pids] if isinstance(pids, str) else pids:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 10, latin1(fair_name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 12)
        pdf.cell(0, 8, latin1(f"Agenda: {nm.get(pid, pid)}"), new_x="LMARGIN", new_y="NEXT")
        if venue:
            pdf.cell(0, 8, latin1(venue), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        meetings = _meetings_of(problem, schedule, pid)
        if not meetings:
            pdf.cell(0, 8, "No meetings scheduled.", new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.set_font("Helvetica", size=10)
        with pdf.table(col_widths=(30, 30, 110)) as tbl:
            tbl.row(["Time", "Table", "Meeting with"])
            for m in meetings:
                s = slots[m.slot]
                other = m.maker if pid == m.buyer else m.buyer
                tbl.row([f"{s.start:%a %H:%M}-{s.end:%H:%M}",
                         latin1(tables[m.table].label or m.table), latin1(nm.get(other, other))])
    return bytes(pdf.output())


def schedule_csv(problem: Problem, schedule: Schedule, names: dict[str, str] | None = None) -> str:
    """Whole schedule as CSV (one row per meeting, ISO datetimes)."""
    nm = _names(problem, names)
    slots = {s.id: s for s in problem.slots}
    tables = {t.id: t for t in problem.tables}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    w.writeheader()
    for m in schedule.meetings:
        s = slots[m.slot]
        w.writerow(dict(slot=m.slot, start=s.start.isoformat(), end=s.end.isoformat(),
                        session=s.session, table=m.table, table_label=tables[m.table].label,
                        buyer=m.buyer, buyer_name=nm.get(m.buyer, ""),
                        maker=m.maker, maker_name=nm.get(m.maker, "")))
    return buf.getvalue()


def read_csv(text: str) -> Schedule:
    """Inverse of :func:`schedule_csv` (meetings only; names are ignored)."""
    rows = csv.DictReader(io.StringIO(text))
    return Schedule([Meeting(r["buyer"], r["maker"], r["slot"], r["table"]) for r in rows])


@dataclass
class Grid:
    """Organizer view: ``cells[i][j]`` is the meeting in ``slots[i]`` at
    ``tables[j]`` or ``None``."""

    slots: list[Slot]
    tables: list[Table]
    cells: list[list[Meeting | None]]

    def occupancy(self) -> float:
        used = sum(c is not None for row in self.cells for c in row)
        return used / max(1, len(self.slots) * len(self.tables))


def organizer_grid(problem: Problem, schedule: Schedule) -> Grid:
    si = problem.slot_index()
    ti = {t.id: j for j, t in enumerate(problem.tables)}
    cells: list[list[Meeting | None]] = [[None] * len(problem.tables) for _ in problem.slots]
    for m in schedule.meetings:
        cells[si[m.slot]][ti[m.table]] = m
    return Grid(list(problem.slots), list(problem.tables), cells)


__all__ = ["Grid", "agenda_pdf", "latin1", "meeting_uid", "organizer_grid", "participant_ics",
           "read_csv", "schedule_csv"]
