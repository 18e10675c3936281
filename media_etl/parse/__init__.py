"""Parsing: raw wire-copy text into headline, datelines, credits and paragraphs."""
