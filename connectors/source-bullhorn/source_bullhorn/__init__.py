"""Staffwire connector source-bullhorn."""
