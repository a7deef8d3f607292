"""Writes of the attendance app, split by concept: tokens, door scans, counted people, corrections."""
