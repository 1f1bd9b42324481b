"""The reference monitoring backend: a simulated city speaking protocol v1."""
