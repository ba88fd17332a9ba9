"""jsonld exporter (placeholder)."""
