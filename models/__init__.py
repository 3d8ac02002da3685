"""Learned models for Matchmaker: plain feature tables in, predictions out.

Nothing here imports the web application; see DEVELOPERS.md.
"""
