"""Forms of the rapid review, GOV.UK-rendered by core's renderer."""
