"""`pressroom serve`: preview the html pages with live reload, rebuilding incrementally."""

from pressroom.serve.rebuild import PAGES, Rebuilder
from pressroom.serve.server import bind, serve

__all__ = ["PAGES", "Rebuilder", "bind", "serve"]
