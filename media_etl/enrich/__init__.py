"""Enrichment: language, entities, quotes, themes, dates mentioned and near-duplicate stories."""
