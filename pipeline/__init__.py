"""Publish web articles copied as plain text as EPUB 3, print-ready PDF and plain text."""

__version__ = "0.1.0"
