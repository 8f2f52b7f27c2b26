"""Models of the rapidreviews app."""
