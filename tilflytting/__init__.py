"""tilflytting: a catalog of Norwegian in-migration initiatives."""

__version__ = "0.1.0"
