"""Explain SMTP reply codes, enhanced status codes and whole server replies."""

__version__ = "1.0.0"
