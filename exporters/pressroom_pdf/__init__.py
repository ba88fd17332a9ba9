"""pdf exporter (placeholder)."""
