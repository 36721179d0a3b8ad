"""carebook: commissioning analysis for children's social care, one book per council."""

__version__ = "0.1.0"
