"""flow analysis."""
