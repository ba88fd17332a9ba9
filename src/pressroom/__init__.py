"""pressroom: Markdown articles with YAML front matter to EPUB, PDF and SEO feeds."""

__version__ = "0.1.0"
