"""The extractor: every step in order, rules and model, for one article."""

from __future__ import annotations

from media_etl.enrich.entities.layers import ModelLayer
from media_etl.enrich.entities.models import ModelSpan
from media_etl.enrich.entities.state import (
    MODEL_FIRST,
    Span,
)


class Extractor(ModelLayer):
    """One article's extraction; built and thrown away inside ``extract_mentions``."""

    def run(self, found: list[ModelSpan] | None = None) -> list[Span]:
        """Find the article's mentions: rules, the model's names, then one label per name.

        Args:
            found: What a statistical model tagged in the body (``entities.models``), if any.
                Where the model is the stronger reader (``MODEL_FIRST``), its names are
                claimed before the rules run; elsewhere the rules run first (they know the
                project's titles, roles, gazetteer and lexicon) and the model fills the gaps.
        """
        model_first = self.language in MODEL_FIRST
        self.find_place_windows()
        if found and model_first:
            self.add_model_spans(found, known_places_only=True)
        self.split_titles()
        self.find_known_orgs(min_words=2)
        self.find_orgs()
        self.find_acronyms()
        self.find_known_orgs()
        self.claim_places()
        self.find_people()
        self.resolve_short_names()
        if found:
            self.add_model_spans(found)
        self.teams_in_results()
        self.one_label_per_name()
        if not self.turkic:
            self.tag_repeats()
        if self.language == "ru":
            self.places_inside_organisations()
        return self.spans
