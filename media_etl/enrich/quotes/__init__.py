"""Find direct and indirect quotes in an article body and resolve who said them.

A quote is a span inside quote marks (direct) or the clause a reporting verb introduces
(indirect: ``Altun said the platform …``). Cues are reporting verbs in English, Russian and
the Turkic languages (said, noted, according to, заявил, dedi, bildirib …); each cue's speaker is
the noun phrase before or after it, resolved to a person or organisation mention, a name found
from capitalised words, or, for a pronoun, the nearest fitting person or organisation before.
Quoted titles and scare quotes are not speech. The rules, in the order they apply, are written
out in ``docs/quotes.md``; the word lists are in ``data/speech.yaml``.
"""

from media_etl.enrich.quotes.extractor import extract_quotes
from schemas.vocabularies import DIRECT, INDIRECT

__all__ = ["DIRECT", "INDIRECT", "extract_quotes"]
