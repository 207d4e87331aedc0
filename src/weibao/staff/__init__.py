"""Team, qualifications, attendance, duty rosters and personnel changes (STF-*)."""
