"""Storage: Parquet tables written atomically, and the DuckDB database of views over them."""
