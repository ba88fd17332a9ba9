"""Field profiles."""
