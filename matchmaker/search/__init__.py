"""The application's side of search: documents from rows, the outbox, and sync."""
