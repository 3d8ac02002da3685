"""Agendas of video meetings and check-in codes (engine level: plain problem and schedule in)."""
import io

from icalendar import Calendar
from pypdf import PdfReader
from sched_helpers import fair

from scheduling import Buyer, Maker, SolveOptions, agenda_pdf, participant_ics, solve
from scheduling.agenda import qr_png, qr_svg


def solved():
    p = fair(n_buyers=1, n_makers=2, n_slots=3, n_tables=2, buyers=[Buyer("B1", "Peña Imports")],
             makers=[Maker("M1", "Taller Uno"), Maker("M2", "Taller Dos")],
             prefs=[("B1", "M1", "must", None, None), ("B1", "M2", "must", None, None)])
    return p, solve(p, SolveOptions(time_limit=5)).schedule


def test_a_video_meeting_is_located_at_its_link_in_the_calendar():
    p, s = solved()
    link = "https://video.example.test/room-1"
    cal = Calendar.from_ical(participant_ics(p, s, "B1", venue="Expo", video={("B1", "M1"): link},
                                             video_text="Reunión por video: {url}"))
    events = {str(e["SUMMARY"]).split(": ")[-1]: e for e in cal.walk("VEVENT")}
    video, table = events["Taller Uno"], events["Taller Dos"]
    assert str(video["LOCATION"]) == link and str(video["URL"]) == link
    assert "Reunión por video: " + link in str(video["DESCRIPTION"])
    assert str(table["LOCATION"]).startswith("Expo, Mesa ") and "URL" not in table


def test_the_pdf_lists_video_links_and_one_check_in_code_per_meeting():
    p, s = solved()
    urls = {}

    def check_in(pid, m):
        urls[m.maker] = f"https://mm.example.test/fairs/check-in/{pid}-{m.maker}"
        return urls[m.maker]
    data = agenda_pdf(p, s, "B1", fair_name="Expo", video={("B1", "M2"): "https://video.example.test/r2"},
                      check_in=check_in)
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "https://video.example.test/r2" in text and "Check-in codes" in text
    assert sum(len(page.images) for page in reader.pages) == len(s.for_participant("B1")) == len(urls) == 2
    without = PdfReader(io.BytesIO(agenda_pdf(p, s, "B1", fair_name="Expo")))
    assert sum(len(page.images) for page in without.pages) == 0


def test_qr_codes_are_png_and_inline_svg_without_style_or_script():
    assert qr_png("https://mm.example.test/x")[:8] == b"\x89PNG\r\n\x1a\n"
    svg = qr_svg("https://mm.example.test/x")
    assert svg.startswith("<svg") and "style" not in svg and "<script" not in svg
