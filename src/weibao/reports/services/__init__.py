"""Writes of the deliverables domain. Import from the submodules: ``schedule`` (submissions
due from the obligations, breaches, reminders), ``generation`` (report drafts in the
background) and ``workflow`` (attach, submit, accept, return)."""
