"""City models, styles and other data shipped with the console."""
