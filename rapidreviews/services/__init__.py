"""Writing the rapid review. Each function: keyword-only, one transaction with its audit event."""
