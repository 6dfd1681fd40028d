"""The version of bri_text, written only here (``bri_text.__version__``; pyproject.toml
reads it when the package is built)."""

__version__ = "0.5.0.dev0"
