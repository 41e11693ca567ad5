"""Cross-case correlation in the desktop app: related cases, markers, clusters (Qt widgets only).

- ``RelatedCasesPanel(store, case_id)``: the other cases sharing this case's observables,
  actors or technique pattern, with confirm/dismiss; ``caseActivated(str)`` opens one
- ``RelatedMarkerDelegate`` and ``ObservableMarkers``: a marker next to each observable that
  appears in another case; clicking it jumps there
- ``ClustersView(store, runner)``: the workspace as clusters of related cases; ``ClustersDialog``
  shows it in a window of its own

The work is done by ``rrmdesk.correlation``; these widgets only show it.
"""

from .clusters_view import ClustersDialog, ClustersView
from .markers import ObservableMarkers, RelatedMarkerDelegate
from .related_panel import RelatedCasesPanel

__all__ = ["ClustersDialog", "ClustersView", "ObservableMarkers", "RelatedCasesPanel", "RelatedMarkerDelegate"]
