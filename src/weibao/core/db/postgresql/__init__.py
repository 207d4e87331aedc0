"""Django's PostgreSQL backend, with small bulk inserts written as plain ``VALUES``."""
