"""ssda903 analysis."""
