"""Normalisation: places to ISO country codes, dates to UTC with their precision."""
