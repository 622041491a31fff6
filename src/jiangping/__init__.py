"""Jiangping (讲评): the monthly review of local-government work."""

__version__ = "0.1.0"
