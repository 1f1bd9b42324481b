"""The operator console: entry point, main window and the wiring between model and views."""
