"""Targets against actuals over time as SVG line charts, drawn on the server (like ``consortia.gantt``).

No script and no ``style`` (the CSP forbids both): colours are SVG presentation attributes. One chart
per figure: months along the bottom, the target as a dashed grey line, the actual as a blue line
whose points turn red where the actual missed the target; every point carries a ``<title>``
(its month, actual and target) that browsers show on hover and screen readers read.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from ..i18n import format_number
from ..i18n import gettext as _
from .labels import FIGURE_LABELS

WIDTH, HEIGHT, LEFT, BOTTOM, TOP, RIGHT = 560, 170, 46, 26, 14, 12
BLUE, GREY, RED = "#2b6cb0", "#718096", "#c53030"


def _fmt(value) -> str:
    """An axis or tooltip figure in the reader's locale: whole numbers without decimals, else one."""
    return format_number(value, 0 if value is not None and float(value).is_integer() else 1)


def line_chart(series: list[dict], key: str, testid: str = "") -> Markup:
    """The chart of figure ``key`` (``on_time_pct``, ``days_late``, ...) over ``series`` (``metrics.monthly``)."""
    points = [(p["month"], p[key]) for p in series if p[key]["actual"] is not None or p[key]["target"] is not None]
    title = _(FIGURE_LABELS[key])
    if not points:
        empty = escape(_("no figures yet"))
        return Markup(f'<p class="muted" data-testid="{escape(testid)}">{escape(title)}: {empty}</p>')
    top = max([v for _m, f in points for v in (f["actual"], f["target"]) if v is not None] + [1.0]) * 1.1
    span_x = WIDTH - LEFT - RIGHT
    span_y = HEIGHT - TOP - BOTTOM

    def xy(i: int, value: float) -> tuple[float, float]:
        x = LEFT + (span_x * i / (len(points) - 1) if len(points) > 1 else span_x / 2)
        return x, TOP + span_y * (1 - value / top)

    label = _("{figure}: target against actual by month", figure=title)
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(label)}" '
             f'data-testid="{escape(testid)}" xmlns="http://www.w3.org/2000/svg">',
             f'<text x="{LEFT}" y="11" font-size="12" font-weight="600">{escape(title)}</text>',
             f'<line x1="{LEFT}" y1="{TOP + span_y}" x2="{WIDTH - RIGHT}" y2="{TOP + span_y}" stroke="#cbd5e0"/>',
             f'<text x="{LEFT - 4}" y="{TOP + 8}" font-size="10" text-anchor="end">{_fmt(round(top, 1))}</text>',
             f'<text x="{LEFT - 4}" y="{TOP + span_y}" font-size="10" text-anchor="end">0</text>']
    targets = [xy(i, f["target"]) for i, (_m, f) in enumerate(points) if f["target"] is not None]
    if targets:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in targets)
        target = _("target")  # outside the f-string, where extraction sees it
        parts.append(f'<polyline points="{line}" fill="none" stroke="{GREY}" stroke-dasharray="5 4" stroke-width="1.5">'
                     f'<title>{escape(target)}</title></polyline>')
    actuals = [(i, m, f) for i, (m, f) in enumerate(points) if f["actual"] is not None]
    if len(actuals) > 1:
        line = " ".join("{:.1f},{:.1f}".format(*xy(i, f["actual"])) for i, _m, f in actuals)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    for i, month, f in actuals:
        x, y = xy(i, f["actual"])
        colour = RED if f["slipped"] else BLUE
        tip = _("{month}: actual {actual}, target {target}", month=month, actual=_fmt(f["actual"]),
                target=_fmt(f["target"]))
        css = ' class="slipped"' if f["slipped"] else ""
        parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"{css}><title>{escape(tip)}</title>'
                     '</circle>')
    first, last = points[0][0], points[-1][0]
    parts.append(f'<text x="{LEFT}" y="{HEIGHT - 6}" font-size="10">{escape(first)}</text>')
    if last != first:
        parts.append(f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" font-size="10" text-anchor="end">'
                     f'{escape(last)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


CHARTED = ("on_time_pct", "days_late", "reject_rate_pct", "days_beyond_terms", "price_changes")


def charts(series: list[dict], prefix: str = "chart") -> list[Markup]:
    """One chart per monitored figure."""
    return [line_chart(series, key, f"{prefix}-{key}") for key in CHARTED]
