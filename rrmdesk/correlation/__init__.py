"""Cross-case correlation: the same account, domain, actor or playbook in other cases.

- ``index``: the other cases one case shares values, actors and technique patterns with, ranked
- ``clusters``: the whole workspace as clusters of related cases
- ``names``: actor names compared across spelling, script, spacing and punctuation
- ``technique_patterns``: shared DISARM technique sets
- ``noise``: the exclusion list of values too common to count
- ``decisions``: the analyst's confirmed and dismissed correlations, audited
"""

from .clusters import Cluster, Link, clusters
from .decisions import Decision, decide, withdraw
from .index import ActorLink, Correlation, SharedValue, correlate, related_observables
from .noise import DEFAULT_NOISE, Exclusion, NoiseList, exclude, include, list_exclusions

__all__ = [
    "ActorLink", "Cluster", "Correlation", "DEFAULT_NOISE", "Decision", "Exclusion", "Link", "NoiseList",
    "SharedValue", "clusters", "correlate", "decide", "exclude", "include", "list_exclusions",
    "related_observables", "withdraw",
]
