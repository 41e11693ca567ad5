"""The case workspace: one case's tabs (Overview, Timeline, Graph, Actors … Audit)."""
