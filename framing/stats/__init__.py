"""Statistics on counts and per-article numbers: group summaries, distinctive terms."""
