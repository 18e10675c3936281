"""The shared text layer: word tokens, names and their skeletons, and the lexicon's word lists."""
