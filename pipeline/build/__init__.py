"""Building: planning, incremental state, workers, progress and collections around the renderers."""
