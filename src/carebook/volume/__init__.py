"""volume analysis."""
