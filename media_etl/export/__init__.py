"""Output an analyst can use elsewhere: tables, views and queries as CSV, JSON Lines or Parquet, and the pooled feed."""
