"""The reasons' sentences are kept per (template, language, values): the same values in another language,
or the same number as an int and as a float, are still worded as the catalog writes them."""
from __future__ import annotations

from matchmaker.catalog import translate
from matchmaker.ranking.reasons import TEMPLATES, say


def test_a_kept_sentence_is_the_catalogs_in_each_language():
    english = say("delivered", "en", units=1200)
    spanish = say("delivered", "es", units=1200)
    assert english == "1,200 units delivered on orders through the platform"
    assert spanish == translate(TEMPLATES["delivered"], "es", units=1200) != english
    assert say("delivered", "en", units=1200) == english      # kept, and still English


def test_an_int_and_an_equal_float_are_worded_apart():
    as_int = say("delivered", "en", units=3)
    as_float = say("delivered", "en", units=3.0)
    assert as_int == translate(TEMPLATES["delivered"], "en", units=3)
    assert as_float == translate(TEMPLATES["delivered"], "en", units=3.0)
    assert say("no_disputes", "en", n=True) == translate(TEMPLATES["no_disputes"], "en", n=True)
