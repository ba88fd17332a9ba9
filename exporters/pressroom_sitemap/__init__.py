"""sitemap exporter (placeholder)."""
