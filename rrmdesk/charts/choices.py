"""What an analyst can choose for a chart, kept apart from the renderers (which load matplotlib)
so the CLI and the desktop app can offer the choices without paying for the import."""

#: timeline swimlanes and event colouring
LANES = ("actor", "narrative", "tactic", "phase", "platform", "none")
TIMELINE_COLOUR_BY = ("category", "technique")
#: actor-link graph: which objects are nodes, what sizes and colours them
NODE_SETS = ("actors", "actors+narratives", "all")
SIZE_BY = ("degree", "betweenness", "eigenvector")
GRAPH_COLOUR_BY = ("kind", "community")
#: export formats
FORMATS = ("png", "svg", "pdf")
