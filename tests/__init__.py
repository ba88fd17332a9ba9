"""pressroom tests."""
