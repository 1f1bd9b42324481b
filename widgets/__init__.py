"""Reusable Qt widgets: plots, the 3D city scene, the alarm table, the channel tree."""
