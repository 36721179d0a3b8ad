"""cost_benefit analysis."""
