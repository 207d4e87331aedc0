"""Writes and rules of the emergency domain: one transaction each."""
