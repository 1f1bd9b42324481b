"""Screens built from widgets, bound to the client-side model."""
