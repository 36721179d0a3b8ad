"""SSDA903 (children looked after) child-level data: code lists, reading real
extracts, validation, periods of care and a calibrated synthetic generator."""

from carebook.ssda903.extract import Extract
from carebook.ssda903.load import load_for_council

__all__ = ["Extract", "load_for_council"]
