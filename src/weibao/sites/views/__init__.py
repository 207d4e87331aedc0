"""UI pages of the sites app."""
