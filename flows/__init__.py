"""Prefect flows: thin wrappers that orchestrate the media_etl library."""
