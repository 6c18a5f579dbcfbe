"""Parsing: clean text to the typed document tree."""
