"""Writes of the maintenance domain. Import from the submodules: ``generation`` (visits from
plans, moving and reassigning), ``breaches`` (closing windows, PM-09) and ``visits`` (doing a
visit, the signed sheet and its corrections, PM-02/PM-08)."""
