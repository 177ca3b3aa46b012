"""Staffwire connector source-zoho."""
