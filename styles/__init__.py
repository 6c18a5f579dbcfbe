"""The style sheets of the editions, shipped inside the package as `pipeline.styles` (see pyproject.toml)."""
