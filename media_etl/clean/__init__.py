"""Text cleaning: Unicode repair, normalisation and language-safe case folding."""
