"""Cost of writing the numbers of translated messages in the reader's locale (``catalog.fill``, es_MX) against
plain ``str.format``: CPU microseconds per message, and per search page (60 ranking reasons: 20 rows x 3).

    .venv/bin/python bench/bench_message_numbers.py [--calls 20000]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from matchmaker.catalog import catalog, translate  # noqa: E402
from matchmaker.ranking.reasons import TEMPLATES  # noqa: E402

CASES = [(TEMPLATES["rejects"], {"pct": 2.54, "units": 12000}), (TEMPLATES["distance"], {"km": 1234.4}),
         (TEMPLATES["capacity"], {"x": 3.25}), (TEMPLATES["moq"], {"moq": 500, "qty": 3000})]


def cpu_us(call, n: int) -> float:
    start = time.process_time()
    for i in range(n):
        call(i)
    return (time.process_time() - start) / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=20000)
    n = parser.parse_args().calls
    es = catalog("es")
    for message, params in CASES:
        translate(message, "es", **params)
    fill = cpu_us(lambda i: translate(CASES[i % 4][0], "es", **CASES[i % 4][1]), n)
    plain = cpu_us(lambda i: es.gettext(CASES[i % 4][0]).format(**CASES[i % 4][1]), n)
    print(f"load {os.getloadavg()[0]:.1f}; {n} messages; CPU per message: locale fill {fill:.1f} us, "
          f"str.format {plain:.1f} us; per search page (60 reasons): +{(fill - plain) * 60 / 1000:.2f} ms")


if __name__ == "__main__":
    main()
