"""Reading a seed: bytes to clean text, and the sidecar with the image bytes it names."""
