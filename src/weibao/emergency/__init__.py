"""Emergency plans, drills, security incidents and major periods (EMG-*)."""
