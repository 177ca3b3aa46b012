"""Staffwire connector destination-wingspan."""
