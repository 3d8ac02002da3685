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
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

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


@dataclass(frozen=True)
class CalledOff:
    """A meeting that a calendar may still hold and must now drop (an ICS ``STATUS:CANCELLED``)."""

    uid: str
    start: datetime
    end: datetime
    summary: str
    sequence: int


def participant_ics(problem: Problem, schedule: Schedule, pid: str, *,
                    names: dict[str, str] | None = None, venue: str = "",
                    fair_name: str = "Matchmaker", domain: str = "matchmaker",
                    sequences: dict[str, int] | None = None, called_off: list[CalledOff] = (),
                    stamp: datetime | None = None, summary: str = "{fair}: {name}",
                    video: dict[tuple[str, str], str] | None = None, video_text: str = "Video meeting: {url}") -> bytes:
    """One VCALENDAR with a VEVENT per meeting of participant ``pid``.

    ``video`` maps a (buyer, maker) pair meeting over video to its link: that event's LOCATION
    and URL are the link, and its DESCRIPTION says so (``video_text``).

    Slot times carry their zone, which is defined once in a VTIMEZONE. ``sequences`` maps a
    meeting's UID to its revision (SEQUENCE) so a calendar app replaces a changed event instead of
    adding a second one; ``called_off`` events are sent as cancelled. DTSTAMP is ``stamp`` (default:
    now, in UTC), the moment this calendar was generated.
    """
    nm = _names(problem, names)
    slots = {s.id: s for s in problem.slots}
    tables = {t.id: t for t in problem.tables}
    stamp = stamp or datetime.now(timezone.utc)
    sequences = sequences or {}
    cal = Calendar()
    cal.add("prodid", f"-//{fair_name}//Matchmaker scheduling//ES")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"{fair_name}: {nm.get(pid, pid)}")
    for m in _meetings_of(problem, schedule, pid):
        other = m.maker if pid == m.buyer else m.buyer
        slot, table = slots[m.slot], tables[m.table]
        uid = meeting_uid(m, domain)
        ev = Event()
        ev.add("uid", uid)
        ev.add("dtstamp", stamp)
        ev.add("sequence", sequences.get(uid, 0))
        ev.add("status", "CONFIRMED")
        ev.add("dtstart", slot.start)
        ev.add("dtend", slot.end)
        ev.add("summary", summary.format(fair=fair_name, name=nm.get(other, other)))
        link = (video or {}).get((m.buyer, m.maker))
        description = f"{nm.get(m.buyer, m.buyer)} / {nm.get(m.maker, m.maker)}"
        if link:
            ev.add("location", link)
            ev.add("url", link)
            description += "\n" + video_text.format(url=link)
        else:
            ev.add("location", ", ".join(x for x in (venue, table.label or table.id) if x))
        ev.add("description", description)
        cal.add_component(ev)
    for off in called_off:
        ev = Event()
        ev.add("uid", off.uid)
        ev.add("dtstamp", stamp)
        ev.add("sequence", off.sequence)
        ev.add("status", "CANCELLED")
        ev.add("dtstart", off.start)
        ev.add("dtend", off.end)
        ev.add("summary", off.summary)
        cal.add_component(ev)
    cal.add_missing_timezones()
    return cal.to_ical()


_PUNCT = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2018": "'", "\u2019": "'",
                        "\u201c": '"', "\u201d": '"', "\u2026": "...", "\u20ac": "EUR",
                        "\u0141": "L", "\u0142": "l", "\u0152": "OE", "\u0153": "oe"})


def latin1(text: str) -> str:
    """Fold text to latin-1 (for consumers limited to it; the PDF agenda no longer needs this):
    keeps á, é, ñ, ü; folds other accents to their base letter; anything else becomes '?'."""
    out = []
    for ch in text.translate(_PUNCT):
        try:
            ch.encode("latin-1")
            out.append(ch)
        except UnicodeEncodeError:
            base = unicodedata.normalize("NFKD", ch).encode("latin-1", "ignore").decode("latin-1")
            out.append(base or "?")
    return "".join(out)


FONT_DIR = Path(__file__).resolve().parent / "fonts"  # DejaVu Sans (Bitstream Vera licence, beside it)
PDF_TEXT = {"agenda": "Agenda", "time": "Time", "table": "Table", "with": "Meeting with",
            "none": "No meetings scheduled.", "video": "Video", "video_links": "Video meetings",
            "check_in": "Check-in codes: the organizer or your counterpart scans one to mark the meeting held"}


def qr_png(data: str, scale: int = 4) -> bytes:
    """A QR code of ``data`` as PNG bytes (segno, pure Python; error correction M)."""
    import segno

    buf = io.BytesIO()
    segno.make_qr(data, error="m").save(buf, kind="png", scale=scale, border=2)
    return buf.getvalue()


def qr_svg(data: str, scale: int = 4) -> str:
    """A QR code of ``data`` as an inline ``<svg>`` element (no style attribute, no script)."""
    import segno

    buf = io.BytesIO()
    segno.make_qr(data, error="m").save(buf, kind="svg", scale=scale, border=2, xmldecl=False,
                                        svgns=True, nl=False, svgclass="qr", lineclass=None)
    return buf.getvalue().decode("utf-8")


def _slot_when(slot: Slot) -> str:
    return f"{slot.start:%a %d %b %Y %H:%M}-{slot.end:%H:%M}"


def agenda_pdf(problem: Problem, schedule: Schedule, pids: list[str] | str, *,
               names: dict[str, str] | None = None, venue: str = "",
               fair_name: str = "Matchmaker", text: dict[str, str] | None = None,
               when: Callable[[Slot], str] | None = None,
               table_label: Callable[[str], str] | None = None,
               video: dict[tuple[str, str], str] | None = None,
               check_in: Callable[[str, Meeting], str] | None = None) -> bytes:
    """PDF agenda, one page per participant in ``pids``, in a vendored Unicode font.

    ``video`` maps a (buyer, maker) pair meeting over video to its link (listed under the table);
    ``check_in(pid, meeting)`` gives the URL each meeting's QR code encodes on ``pid``'s page.

    ``text`` gives the page's words (keys of ``PDF_TEXT``) and ``when`` writes a slot's weekday,
    date and times, both in the reader's language; the engine itself stays language-neutral.
    """
    nm = _names(problem, names)
    words = PDF_TEXT | (text or {})
    when = when or _slot_when
    label = table_label or (lambda x: x)
    slots = {s.id: s for s in problem.slots}
    tables = {t.id: t for t in problem.tables}
    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_auto_page_break(auto=True, margin=15)
    for pid in [pids] if isinstance(pids, str) else pids:
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 16)
        pdf.multi_cell(0, 10, fair_name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 12)
        pdf.multi_cell(0, 8, f"{words['agenda']}: {nm.get(pid, pid)}", new_x="LMARGIN", new_y="NEXT")
        if venue:
            pdf.multi_cell(0, 8, venue, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(4)
        meetings = _meetings_of(problem, schedule, pid)
        if not meetings:
            pdf.cell(0, 8, words["none"], new_x="LMARGIN", new_y="NEXT")
            continue
        pdf.set_font("DejaVu", size=10)
        with pdf.table(col_widths=(62, 28, 80)) as tbl:
            tbl.row([words["time"], words["table"], words["with"]])
            for m in meetings:
                other = m.maker if pid == m.buyer else m.buyer
                place = label(tables[m.table].label or m.table)
                if (video or {}).get((m.buyer, m.maker)):
                    place = words["video"]
                tbl.row([when(slots[m.slot]), place, nm.get(other, other)])
        links = [(m, video[(m.buyer, m.maker)]) for m in meetings if (video or {}).get((m.buyer, m.maker))]
        if links:
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", 10)
            pdf.multi_cell(0, 6, words["video_links"], new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", "", 9)
            for m, url in links:
                other = m.maker if pid == m.buyer else m.buyer
                pdf.multi_cell(0, 5, f"{when(slots[m.slot])} · {nm.get(other, other)}: {url}",
                               new_x="LMARGIN", new_y="NEXT", link=url)
        if check_in is not None:
            _check_in_codes(pdf, meetings, pid, check_in, words, nm, slots, when)
    return bytes(pdf.output())


def _check_in_codes(pdf: FPDF, meetings, pid, check_in, words, nm, slots, when) -> None:
    """Three QR codes a row, each captioned with its meeting's time and counterpart."""
    pdf.ln(4)
    pdf.set_font("DejaVu", "B", 10)
    pdf.multi_cell(0, 6, words["check_in"], new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    size, gap = 32, 60
    top = pdf.get_y()
    for i, m in enumerate(meetings):
        if i % 3 == 0:
            if i:
                pdf.set_y(top + size + 12)
            if pdf.get_y() + size + 12 > pdf.h - pdf.b_margin:
                pdf.add_page()
            top = pdf.get_y()
        x = pdf.l_margin + (i % 3) * gap
        pdf.image(io.BytesIO(qr_png(check_in(pid, m))), x=x, y=top, w=size, h=size)
        other = m.maker if pid == m.buyer else m.buyer
        pdf.set_xy(x, top + size + 1)
        pdf.multi_cell(gap - 4, 4, f"{when(slots[m.slot])}\n{nm.get(other, other)}", new_x="LMARGIN",
                       new_y="NEXT")
    if meetings:
        pdf.set_y(top + size + 12)


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


__all__ = ["CalledOff", "Grid", "agenda_pdf", "latin1", "meeting_uid", "organizer_grid", "participant_ics",
           "read_csv", "schedule_csv"]
