"""The application's side of ranking: features from rows, training from the outcome log, serving with reasons."""
