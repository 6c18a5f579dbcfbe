"""Rendering: the document tree to EPUB, PDF and text bytes."""
