"""epub exporter (placeholder)."""
