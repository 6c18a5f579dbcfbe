"""Independent checks of finished editions (PDF structure and layout)."""
