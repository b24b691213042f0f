"""Checks read cells and write check results; they never change a value."""
