"""sufficiency analysis."""
