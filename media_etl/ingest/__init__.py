"""Ingest: find input files and read them into decoded documents."""
