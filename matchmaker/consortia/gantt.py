"""A stage plan drawn as an SVG Gantt chart, server-side (no script, no inline style: CSP-safe).

Bars are stages from their start day to their end day; a dashed line marks the buyer's lead
time, so a plan that runs late shows it at a glance.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from .. import taxonomy as tx
from ..i18n import gettext as _
from ..i18n import locale

ROW, LABEL, WIDTH = 26, 190, 420


def gantt(plan: list[dict], deadline_days: int | None) -> Markup:
    if not plan:
        return Markup("")
    end = max([p["end"] for p in plan] + [deadline_days or 0, 1])
    scale = WIDTH / end
    height = ROW * len(plan) + 30
    lang = locale()
    title = _("Stage plan")  # outside the f-string, where extraction sees it
    parts = [f'<svg class="gantt" viewBox="0 0 {LABEL + WIDTH + 20} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for i, p in enumerate(plan):
        y = 10 + i * ROW
        x = LABEL + p["start"] * scale
        w = max(2.0, (p["end"] - p["start"]) * scale)
        name = escape(tx.PROCESS_STAGES.label(p["stage"], lang))
        days = escape(_("days {start}–{end}", start=p["start"], end=p["end"]))
        parts.append(f'<text x="0" y="{y + 15}" font-size="12">{name}</text>'
                     f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="18" rx="3" fill="#2b6cb0">'
                     f'<title>{name}: {days}</title></rect>')
    if deadline_days:
        x = LABEL + deadline_days * scale
        label = escape(_("lead time asked: {days} days", days=deadline_days))
        parts.append(f'<line x1="{x:.1f}" y1="4" x2="{x:.1f}" y2="{height - 18}" stroke="#c53030" '
                     f'stroke-dasharray="4 3"/><text x="{max(LABEL, x - 150):.1f}" y="{height - 4}" '
                     f'font-size="11" fill="#c53030">{label}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
