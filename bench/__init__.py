"""The benchmark harness: a developer tool, not part of the installed product."""
