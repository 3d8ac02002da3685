"""The organizer's fair report: what the fair produced, by the makers' firm size band.

Per band (``taxonomy.SIZE_BANDS`` from the maker's headcount; "unknown" without a profile):
registered makers, **requests** (pairs either side marked must or would-like), **met** (requested
pairs the current schedule seats; ``acceptance`` = met / requests), meetings, held, no-shows,
virtual meetings, follow-up answers with their mean rating, and meetings by the furthest next step
any answer named (none < negotiation < sample < order). Charts are PNGs drawn server-side with
matplotlib (Agg), like the model plots; the CSV goes through ``exports.SafeWriter``.
"""
from __future__ import annotations

import io
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import taxonomy as tx
from ..exports import SafeWriter
from ..makers.records import MakerProfile
from . import formatting as fmt
from .video import virtual_pairs
from .core import current_run, participants, run_meetings
from .followups import NEXT_STEPS, answers
from .records import Fair, FairRequest
from ..catalog import N_

BANDS = (*tx.SIZE_BAND_LABELS.codes, "unknown")
COUNTS = ("makers", "requests", "met", "meetings", "held", "no_show", "virtual", "follow_ups")
STEP_ORDER = {s: i for i, s in enumerate(NEXT_STEPS)}


def fair_report(session: Session, fair: Fair) -> dict:
    makers = participants(session, fair, "maker")
    heads = dict(session.execute(select(MakerProfile.organization_id, MakerProfile.headcount).where(
        MakerProfile.organization_id.in_([p.organization_id for p in makers]))).all())
    band_of = {p.id: tx.size_band(heads.get(p.organization_id)) or "unknown" for p in makers}
    rows = {b: dict.fromkeys(COUNTS, 0) | {"ratings": 0, "rating_sum": 0, "steps": dict.fromkeys(NEXT_STEPS, 0)}
            for b in BANDS}
    for p in makers:
        rows[band_of[p.id]]["makers"] += 1
    side = {p.id: p.side for p in participants(session, fair)}
    requested = set()
    for r in session.scalars(select(FairRequest).where(FairRequest.fair_id == fair.id,
                                                       FairRequest.mark.in_(("must", "would_like")))):
        if r.from_participant_id in side and r.to_participant_id in side:
            pair = ((r.from_participant_id, r.to_participant_id) if side[r.from_participant_id] == "buyer"
                    else (r.to_participant_id, r.from_participant_id))
            requested.add(pair)
    for _b, m in requested:
        if m in band_of:
            rows[band_of[m]]["requests"] += 1
    video = virtual_pairs(session, fair)
    seated = set()
    for mt in run_meetings(session, current_run(session, fair)):
        if mt.status == "cancelled" or mt.maker_participant_id not in band_of:
            continue
        pair = (mt.buyer_participant_id, mt.maker_participant_id)
        row = rows[band_of[mt.maker_participant_id]]
        seated.add(pair)
        row["meetings"] += 1
        row["held"] += mt.status == "held"
        row["no_show"] += mt.status == "no_show"
        row["virtual"] += pair in video
    for _b, m in requested & seated:
        rows[band_of[m]]["met"] += 1
    furthest: dict = {}
    for a in answers(session, fair):
        if a.maker_participant_id not in band_of:
            continue
        row = rows[band_of[a.maker_participant_id]]
        row["follow_ups"] += 1
        row["ratings"] += 1
        row["rating_sum"] += a.rating
        pair = (a.buyer_participant_id, a.maker_participant_id)
        if STEP_ORDER[a.next_step] >= STEP_ORDER.get(furthest.get(pair), -1):
            furthest[pair] = a.next_step
    for (_b, m), step in furthest.items():
        rows[band_of[m]]["steps"][step] += 1
    total = dict.fromkeys(COUNTS, 0) | {"ratings": 0, "rating_sum": 0, "steps": dict.fromkeys(NEXT_STEPS, 0)}
    out = []
    for b in BANDS:
        row = rows[b]
        if b == "unknown" and not row["makers"]:
            continue
        for k in (*COUNTS, "ratings", "rating_sum"):
            total[k] += row[k]
        for s in NEXT_STEPS:
            total["steps"][s] += row["steps"][s]
        out.append(_finish(b, row))
    return {"fair_id": fair.id, "bands": out, "total": _finish("total", total)}


def _finish(band: str, row: dict) -> dict:
    done = {k: row[k] for k in COUNTS}
    done["band"] = band
    done["acceptance"] = round(row["met"] / row["requests"], 4) if row["requests"] else None
    done["mean_rating"] = round(row["rating_sum"] / row["ratings"], 2) if row["ratings"] else None
    done["next_steps"] = dict(row["steps"])
    return done


def band_label(band: str, lang: str) -> str:
    if band == "total":
        return fmt.tr(lang, "All sizes")
    if band == "unknown":
        return fmt.tr(lang, "Size unknown")
    return tx.SIZE_BAND_LABELS.label(band, lang)


CSV_COLUMNS = ("band", *COUNTS, "acceptance", "mean_rating", *(f"next_step_{s}" for s in NEXT_STEPS))


def report_csv(report: dict) -> str:
    out = io.StringIO()
    w = SafeWriter(out, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for row in [*report["bands"], report["total"]]:
        w.writerow([row["band"], *(row[k] for k in COUNTS),
                    "" if row["acceptance"] is None else row["acceptance"],
                    "" if row["mean_rating"] is None else row["mean_rating"],
                    *(row["next_steps"][s] for s in NEXT_STEPS)])
    return out.getvalue()


CHARTS = {
    "funnel": ("Requests, meetings and attendance by firm size",
               (("requests", "Requests"), ("met", "Requests met"), ("held", "Held"), ("no_show", "No-shows"))),
    "follow-ups": ("Next steps after the fair by firm size",
                   tuple((s, label) for s, label in zip(NEXT_STEPS, (N_("None"), N_("Negotiation started"), N_("Sample"),
                                                                     "Order")))),
}


def chart_png(report: dict, kind: str, lang: str) -> bytes:
    """A grouped bar chart (``funnel``) or a stacked one (``follow-ups``), labelled in ``lang``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    title, series = CHARTS[kind]
    bands = report["bands"]
    labels = [band_label(b["band"], lang) for b in bands]
    fig = Figure(figsize=(7.5, 3.6), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    xs = range(len(bands))
    colours = ("#1f5f8b", "#4a9bd1", "#2e8b57", "#c0392b")
    if kind == "funnel":
        width = 0.8 / len(series)
        for i, (key, name) in enumerate(series):
            ax.bar([x + (i - (len(series) - 1) / 2) * width for x in xs], [b[key] for b in bands], width,
                   label=fmt.tr(lang, name), color=colours[i % len(colours)])
    else:
        bottom = defaultdict(int)
        for i, (key, name) in enumerate(series):
            values = [b["next_steps"][key] for b in bands]
            ax.bar(list(xs), values, 0.6, bottom=[bottom[x] for x in xs], label=fmt.tr(lang, name),
                   color=("#bbbbbb", *colours[1:])[i])
            for x, v in zip(xs, values):
                bottom[x] += v
    ax.set_xticks(list(xs), labels)
    ax.set_title(fmt.tr(lang, title), fontsize=11)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.legend(fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
