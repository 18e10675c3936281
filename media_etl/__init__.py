"""media-etl: a Prefect-free library that turns raw news articles into validated warehouse tables."""

__version__ = "0.1.0"

# Bumped whenever a parser change can alter the rows produced from the same input.
PARSER_VERSION = "wire-1"
