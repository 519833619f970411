"""REST API plumbing (SPEC §9) and the core endpoints under /api/v1/."""
