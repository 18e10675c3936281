"""Reports: human-readable summaries of runs and of the warehouse."""
