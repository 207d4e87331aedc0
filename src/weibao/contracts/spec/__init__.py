"""The contract spec: one YAML file that describes a whole contract (see docs/contract-spec.md).

The schema is assembled from *sections*: this app registers ``contract``, ``parties``,
``payment``, ``documents`` and ``amendments``; later apps register theirs (service levels,
schedules, ...) without changing the files written before them.
"""
