"""The templates of the editions, shipped inside the package as `pipeline.templates` (see pyproject.toml)."""
