"""The assessment API under ``/api/assessment/``."""
