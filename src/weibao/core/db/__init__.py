"""Database backends of weibao."""
