"""Test kit: API emulator building blocks and protocol conformance helpers."""
