"""PNG charts of ranking results, drawn off-screen (Agg) so they work on servers and in CI."""
from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def plot_ranking_metrics(table, path, title: str = "Supplier ranking quality on held-out RFQs",
                         highlight: str | None = None) -> str:
    """Grouped bar chart of ``table`` (rows = rankers, columns = metrics in [0, 1]).

    Each metric is a cluster, each ranker one coloured bar with its value printed on
    top; ``highlight`` (default: the first row, usually the learned model) is drawn
    with a dark edge. Returns ``path``.
    """
    names = [str(i) for i in table.index]
    metrics = [str(c) for c in table.columns]
    values = table.to_numpy(dtype=float)
    highlight = names[0] if highlight is None else highlight
    fig = Figure(figsize=(1.6 + 1.9 * len(metrics) + 0.25 * len(names) * len(metrics), 4.8), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    width = 0.8 / len(names)
    x = np.arange(len(metrics))
    colors = ["#1b6ca8", "#e1812c", "#3a923a", "#c03d3e", "#9372b2", "#845b53", "#7f7f7f"]
    for i, name in enumerate(names):
        bars = ax.bar(x + (i - (len(names) - 1) / 2) * width, values[i], width * 0.92, label=name,
                      color=colors[i % len(colors)], edgecolor="black" if name == highlight else "none",
                      linewidth=1.4)
        for bar, v in zip(bars, values[i]):
            if np.isfinite(v):
                ax.text(bar.get_x() + bar.get_width() / 2, v + 0.01, f"{v:.2f}", ha="center",
                        va="bottom", fontsize=8)
    ax.set_xticks(x, metrics)
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("score (higher is better, max 1)")
    ax.set_title(title)
    ax.grid(axis="y", alpha=0.3)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(title="ranker", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    fig.savefig(path)
    return str(path)
