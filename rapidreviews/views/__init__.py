"""Views of the rapid review, by sub-topic. Thin: load through the one door, call a service."""
