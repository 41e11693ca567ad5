"""The words drawn on charts, in English and French: titles, lanes, legends, notes and date ticks.

Why here, and why not a mechanism of its own: the charts are drawn for the desktop and
``rrmdesk chart`` as well as for briefings, so their own words live beside the code that draws
them, in ``CHART_LABELS`` below; but everything else about wording (checking the language,
actor kinds, confidence, relationship types, month names, how French groups digits) already
exists in ``rrmdesk.briefing.language``, a module with no heavy imports. ``ChartWording`` is that
module's ``Wording`` reading this table, so a French briefing and its figures use the same terms
and a translator reviews the vocabulary in one place. English stays the default everywhere.

Record values (actor names, event titles, categories, DISARM names) are data: never translated.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import ClassVar

from ..briefing.language import Wording, check_language

CHART_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "produced": "Produced {stamp} with RRM Desk",
        "timeline_title": "{case}: timeline",
        "graph_title": "{case}: actor-link graph",
        # timeline
        "no_events_in_view": "No events in this view",
        "no_events_in_view_hint": "widen the dates or clear the filters",
        "no_events": "No events in this case yet",
        "no_events_hint": "add events to see them on the timeline",
        "lane_all": "Events",
        "unknown_actor": "(unknown actor)",
        "no_actor": "(no actor)",
        "unknown_narrative": "(unknown narrative)",
        "no_narrative": "(no narrative)",
        "no_platform": "(no platform)",
        "not_in_disarm": "(not in DISARM v{version})",
        "no_technique": "(no technique)",
        "uncategorised": "(uncategorised)",
        "other_lanes": "Other ({count} more)",
        "events_shown": "{shown} of {total} events",
        "no_swimlanes": "no swimlanes",
        "swimlanes_by": "swimlanes by {lanes}",
        "lanes_actor": "actor",
        "lanes_narrative": "narrative",
        "lanes_tactic": "tactic",
        "lanes_phase": "phase",
        "lanes_platform": "platform",
        "date_range": "{start} to {end}",
        "axis_one_day": "{day}, times in UTC",
        "axis_days": "{first} to {last} (UTC)",
        "duration_bar": "bar = event with a duration",
        "density_key": "Events per {width} (density view: zoom in to see single events)",
        "days": "{count} days",
        "hours": "{count} hours",
        "minutes": "{count} minutes",
        "key_events": "Key events",
        "more_key_events": "… and {count} more",
        # actor-link graph
        "nodes_count": "{count} nodes",
        "links_count": "{count} links",
        "node_size": "node size: {measure}",
        "measure_degree": "degree",
        "measure_betweenness": "betweenness centrality",
        "measure_eigenvector": "eigenvector centrality",
        "ego_one": "within 1 step of {name}",
        "ego_many": "within {depth} steps of {name}",
        "links_only": "links: {types}",
        "confidence_floor": "confidence ≥ {confidence}",
        "no_actors_to_draw": "No actors to draw",
        "no_objects_to_draw": "No objects to draw",
        "no_nodes_hint": "add actors and relationships to see the network",
        "other_link_types": "other link types",
        "confidence_stated": "{confidence} confidence",
        "confidence_unstated": "confidence not stated",
        "community": "community {number}",
        "communities_rest": "communities {first}+",
        "actor_of_kind": "actor: {kind}",
        "node_narrative": "narrative",
        "node_event": "event",
        "node_evidence": "evidence",
        "legend_nodes": "Nodes",
        "legend_links": "Links",
    },
    "fr": {
        "produced": "Produit le {stamp} avec RRM Desk",
        "timeline_title": "{case}\u00a0: chronologie",
        "graph_title": "{case}\u00a0: graphe des liens entre acteurs",
        "no_events_in_view": "Aucun événement dans cette vue",
        "no_events_in_view_hint": "élargissez les dates ou retirez les filtres",
        "no_events": "Aucun événement dans ce dossier pour l'instant",
        "no_events_hint": "ajoutez des événements pour les voir sur la chronologie",
        "lane_all": "Événements",
        "unknown_actor": "(acteur inconnu)",
        "no_actor": "(sans acteur)",
        "unknown_narrative": "(récit inconnu)",
        "no_narrative": "(sans récit)",
        "no_platform": "(sans plateforme)",
        "not_in_disarm": "(absent de DISARM v{version})",
        "no_technique": "(sans technique)",
        "uncategorised": "(sans catégorie)",
        "other_lanes": "Autres ({count} de plus)",
        "events_shown": "{shown} événements sur {total}",
        "no_swimlanes": "sans couloirs",
        "swimlanes_by": "couloirs par {lanes}",
        "lanes_actor": "acteur",
        "lanes_narrative": "récit",
        "lanes_tactic": "tactique",
        "lanes_phase": "phase",
        "lanes_platform": "plateforme",
        "date_range": "du {start} au {end}",
        "axis_one_day": "{day}, heures UTC",
        "axis_days": "du {first} au {last} (UTC)",
        "duration_bar": "barre = événement qui dure",
        "density_key": "Événements par {width} (vue de densité\u00a0: zoomez pour voir chaque événement)",
        "days": "{count} jours",
        "hours": "{count} heures",
        "minutes": "{count} minutes",
        "key_events": "Événements clés",
        "more_key_events": "… et {count} de plus",
        "nodes_count": "{count} nœuds",
        "links_count": "{count} liens",
        "node_size": "taille des nœuds\u00a0: {measure}",
        "measure_degree": "degré",
        "measure_betweenness": "centralité d'intermédiarité",
        "measure_eigenvector": "centralité de vecteur propre",
        "ego_one": "à un pas de {name}",
        "ego_many": "à {depth} pas au plus de {name}",
        "links_only": "liens\u00a0: {types}",
        "confidence_floor": "confiance ≥ {confidence}",
        "no_actors_to_draw": "Aucun acteur à représenter",
        "no_objects_to_draw": "Aucun objet à représenter",
        "no_nodes_hint": "ajoutez des acteurs et des relations pour voir le réseau",
        "other_link_types": "autres types de liens",
        "confidence_stated": "confiance {confidence}",
        "confidence_unstated": "confiance non précisée",
        "community": "communauté {number}",
        "communities_rest": "communautés {first}+",
        "actor_of_kind": "acteur\u00a0: {kind}",
        "node_narrative": "récit",
        "node_event": "événement",
        "node_evidence": "élément de preuve",
        "legend_nodes": "Nœuds",
        "legend_links": "Liens",
    },
}

#: Tokens the date-axis formats leave for ``ChartWording.tick_label`` (strftime copies braces as they are):
#: "{b03}" a month by its number, "{H09}" an hour without its leading zero.
_MONTH_TOKEN = re.compile(r"\{b(\d\d)\}")
_HOUR_TOKEN = re.compile(r"\{H(\d\d)\}")


class ChartWording(Wording):
    """The briefing's ``Wording`` reading the charts' table, plus what a date axis needs."""

    table: ClassVar[dict[str, dict[str, str]]] = CHART_LABELS

    def node_kind(self, kind: str) -> str:
        """narrative, event, evidence (actors are named by their kind, see ``actor_of_kind``)."""
        return self[f"node_{kind}"]

    def tick_formats(self) -> tuple[list[str], list[str]]:
        """strftime formats for matplotlib's ``ConciseDateFormatter``: (formats, zero_formats).

        The same levels as matplotlib's defaults (years, months, days, hours, minutes, seconds);
        month names and French hours come as tokens that ``tick_label`` fills in from our tables,
        never from the process locale.
        """
        if self.code == "en":
            formats = ["%Y", "{b%m}", "%d", "%H:%M", "%H:%M", "%S.%f"]
            return formats, ["", "%Y", "{b%m}", "{b%m}-%d", "%H:%M", "%H:%M"]
        clock = "{H%H}\u00a0h\u00a0%M"
        formats = ["%Y", "{b%m}", "%d", clock, clock, "%S.%f"]
        return formats, ["", "%Y", "{b%m}", "%d {b%m}", clock, clock]

    def tick_label(self, formatted: str) -> str:
        """A tick label formatted with ``tick_formats``, its tokens replaced by words."""
        text = _MONTH_TOKEN.sub(lambda m: self.month_abbreviation(int(m.group(1))), formatted)
        return _HOUR_TOKEN.sub(lambda m: str(int(m.group(1))), text)

    def day_span(self, first: datetime, last: datetime) -> str:
        """The dates a timeline covers, for its axis label."""
        if first.date() == last.date():
            return self.text("axis_one_day", day=self.short_date(first))
        return self.text("axis_days", first=self.short_date(first), last=self.short_date(last))

    def duration(self, days: float) -> str:
        """A time bin's width in days, hours or minutes (three significant figures)."""
        key, count = ("days", days) if days >= 1 else ("hours", days * 24) if days * 24 >= 1 else \
            ("minutes", days * 1440)
        shown = f"{count:.3g}"
        return self.text(key, count=shown if self.code == "en" else shown.replace(".", ","))


def chart_wording(language: str) -> ChartWording:
    """The wording for a chart drawn in ``language`` (UsageError for a language we do not write)."""
    return ChartWording(check_language(language, "chart"))


#: The default wording of every chart (the desktop app and ``rrmdesk chart`` without ``--lang``).
ENGLISH = ChartWording("en")
