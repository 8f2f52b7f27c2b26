"""Rendering shared by every stage: tagged PDFs from templates (WeasyPrint), joined in parts."""
