"""UI pages of the assets domain."""
