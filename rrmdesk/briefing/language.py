"""The fixed words of a briefing in English and French, and dates written as each language does.

Canada's briefing notes go out in both official languages, so every heading, label and the ICD 203
estimative vocabulary exists in both here. Dates are formatted from tables in this module rather
than through the system locale: an air-gapped machine may have no French locale installed, and
the same case must read the same on every analyst's machine.

The vocabulary (actor kinds, confidence, severity, relationship types, month names) is shared
with the charts: ``rrmdesk.charts.wording.ChartWording`` is this ``Wording`` reading the charts'
own table of words, so a figure in a French briefing names things exactly as the text beside it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from ..clock import to_datetime
from ..errors import UsageError

LANGUAGES = ("en", "fr")

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"),
}
#: For tight spaces (a date axis): the English ones are what C's %b gives, the French ones the usual
#: abbreviations (Office québécois de la langue française), full words up to four letters.
_MONTH_ABBREVIATIONS = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "fr": ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."),
}

#: ICD 203 likelihood terms, keyed by the wire form in ``rrmdesk.vocab.LIKELIHOOD``.
LIKELIHOOD_TERM = {
    "en": {
        "almost-no-chance": "almost no chance",
        "very-unlikely": "very unlikely",
        "unlikely": "unlikely",
        "roughly-even-chance": "roughly even chance",
        "likely": "likely",
        "very-likely": "very likely",
        "almost-certain": "almost certain",
    },
    "fr": {
        "almost-no-chance": "presque aucune chance",
        "very-unlikely": "très improbable",
        "unlikely": "improbable",
        "roughly-even-chance": "à peu près égal",
        "likely": "probable",
        "very-likely": "très probable",
        "almost-certain": "presque certain",
    },
}

#: How each likelihood opens the clause that carries the judgment ("… that it is likely that").
_LIKELIHOOD_CLAUSE = {
    "en": {
        "almost-no-chance": "there is almost no chance that",
        "very-unlikely": "it is very unlikely that",
        "unlikely": "it is unlikely that",
        "roughly-even-chance": "there is a roughly even chance that",
        "likely": "it is likely that",
        "very-likely": "it is very likely that",
        "almost-certain": "it is almost certain that",
    },
    "fr": {
        "almost-no-chance": "il n'y a presque aucune chance que",
        "very-unlikely": "il est très improbable que",
        "unlikely": "il est improbable que",
        "roughly-even-chance": "les chances sont à peu près égales que",
        "likely": "il est probable que",
        "very-likely": "il est très probable que",
        "almost-certain": "il est presque certain que",
    },
}

CONFIDENCE_TERM = {
    "en": {"low": "low", "moderate": "moderate", "high": "high"},
    "fr": {"low": "faible", "moderate": "modérée", "high": "élevée"},
}

_ASSESS = {
    "en": "We assess with {confidence} confidence {clause} {statement}",
    "fr": "Nous estimons, avec une confiance {confidence}, {clause} {statement}",
}
# "that" before the clause; French elides "que" before a vowel ("qu'il est probable").
_THAT = {"en": "that ", "fr": "que "}

# Words that open a sentence but are not names: lower-cased when the judgment follows "that".
_COMMON_OPENERS = {
    "en": {"a", "an", "the", "this", "these", "that", "those", "it", "its", "they", "their", "there",
           "some", "most", "many", "several", "both", "each", "one", "at", "in", "on", "by", "during"},
    "fr": {"un", "une", "des", "le", "la", "les", "l", "ce", "cet", "cette", "ces", "il", "ils",
           "elle", "elles", "on", "plusieurs", "certains", "certaines", "au", "en", "dans", "lors"},
}
_FRENCH_VOWEL = re.compile(r"^[aeiouyàâäéèêëîïôöùûü]", re.IGNORECASE)

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "briefing_note": "Briefing note",
        "situation_report": "Situation report",
        "situation_report_title": "Situation report: {count} cases",
        "contents": "Contents",
        "toc_placeholder": "Update the table of contents to list the sections (in Word: right-click, Update Field).",
        "bluf": "Bottom line up front",
        "judgments": "Key judgments",
        "chronology": "Chronology",
        "actors": "Actors and attribution",
        "techniques": "DISARM techniques by tactic",
        "narratives": "Narratives",
        "responses": "Responses and recommended actions",
        "responses_taken": "Responses under way or completed",
        "responses_recommended": "Recommended actions",
        "lessons": "Lessons learned",
        "evidence": "Annex A: Evidence",
        "sources": "Annex B: Sources",
        "ministry": "Ministry",
        "analyst": "Prepared by",
        "date": "Date",
        "version": "Version",
        "case": "Case reference",
        "cases": "Cases",
        "marking": "Marking",
        "severity": "Severity",
        "targets": "Targets",
        "page_prefix": "Page ",
        "page_middle": " of ",
        "col_date": "Date (UTC)",
        "col_event": "Event",
        "col_actors": "Actors",
        "col_platform": "Platform",
        "col_grade": "Source grade",
        "col_actor": "Actor",
        "col_kind": "Kind",
        "col_country": "Country",
        "col_account": "Platform / handle",
        "col_attribution": "Attributed to",
        "col_action": "Action",
        "col_countermeasure": "DISARM countermeasure",
        "col_party": "Responsible",
        "col_status": "Status",
        "col_number": "No.",
        "col_item": "Item",
        "col_captured": "Captured",
        "col_sha256": "SHA-256",
        "basis": "Basis",
        "first_seen": "first seen {date}",
        "in_events": "seen in {count} events",
        "in_one_event": "seen in 1 event",
        "figure_timeline": "Figure {number}. Timeline of events",
        "figure_graph": "Figure {number}. Actor-link graph (node size: number of links)",
        "figure_missing_error": "The figure could not be drawn ({reason}); see the case in RRM Desk.",
        "graph_no_links": "No links between these actors are recorded, so no actor-link graph is drawn.",
        "chart_timeline": "Timeline of events",
        "chart_graph": "Actor-link graph",
        "col_links": "Links",
        "col_betweenness": "Betweenness",
        "chronology_limited": "The table shows {shown} of {total} events: {which}. The full chronology is in the "
                              "case file.",
        "chronology_key": "the events the analyst marked as key",
        "chronology_documented": "the most documented events, in date order",
        "actors_limited": "The table shows {shown} of {total} actors, the most central first.",
        "key_nodes": "Key nodes (betweenness centrality, the share of shortest paths through the actor): {nodes}.",
        "none_recorded": "None recorded.",
        "no_events": "No events are recorded at this marking.",
        "no_actors": "No actors are recorded at this marking.",
        "unknown_techniques": "Not in the DISARM catalog",
        "by": "by {who}",
        "attributed": "{name} ({confidence} confidence)",
        "disarm_source": "Techniques and countermeasures: {attribution}",
        "handling": "Handling",
        "summary_targets": "Targets: {targets}.",
        "summary_severity": "Severity: {severity}.",
    },
    "fr": {
        "briefing_note": "Note d'information",
        "situation_report": "Rapport de situation",
        "situation_report_title": "Rapport de situation : {count} dossiers",
        "contents": "Table des matières",
        "toc_placeholder": "Mettez à jour la table des matières pour afficher les sections (dans Word : clic droit, "
                           "Mettre à jour les champs).",
        "bluf": "L'essentiel",
        "judgments": "Jugements clés",
        "chronology": "Chronologie",
        "actors": "Acteurs et attribution",
        "techniques": "Techniques DISARM par tactique",
        "narratives": "Récits",
        "responses": "Réponses et mesures recommandées",
        "responses_taken": "Réponses en cours ou terminées",
        "responses_recommended": "Mesures recommandées",
        "lessons": "Leçons retenues",
        "evidence": "Annexe A : Éléments de preuve",
        "sources": "Annexe B : Sources",
        "ministry": "Ministère",
        "analyst": "Rédigé par",
        "date": "Date",
        "version": "Version",
        "case": "Référence du dossier",
        "cases": "Dossiers",
        "marking": "Marquage",
        "severity": "Gravité",
        "targets": "Cibles",
        "page_prefix": "Page ",
        "page_middle": " de ",
        "col_date": "Date (UTC)",
        "col_event": "Événement",
        "col_actors": "Acteurs",
        "col_platform": "Plateforme",
        "col_grade": "Cote de la source",
        "col_actor": "Acteur",
        "col_kind": "Type",
        "col_country": "Pays",
        "col_account": "Plateforme / identifiant",
        "col_attribution": "Attribué à",
        "col_action": "Mesure",
        "col_countermeasure": "Contre-mesure DISARM",
        "col_party": "Responsable",
        "col_status": "État",
        "col_number": "N°",
        "col_item": "Élément",
        "col_captured": "Saisi le",
        "col_sha256": "SHA-256",
        "basis": "Fondement",
        "first_seen": "observé pour la première fois le {date}",
        "in_events": "observé dans {count} événements",
        "in_one_event": "observé dans 1 événement",
        "figure_timeline": "Figure {number}. Chronologie des événements",
        "figure_graph": "Figure {number}. Graphe des liens entre acteurs (taille des nœuds : nombre de liens)",
        "figure_missing_error": "La figure n'a pas pu être produite ({reason}); voir le dossier dans RRM Desk.",
        "graph_no_links": "Aucun lien entre ces acteurs n'est consigné; le graphe des liens n'est donc pas produit.",
        "chart_timeline": "Chronologie des événements",
        "chart_graph": "Graphe des liens entre acteurs",
        "col_links": "Liens",
        "col_betweenness": "Intermédiarité",
        "chronology_limited": "Le tableau présente {shown} des {total} événements : {which}. La chronologie complète "
                              "figure au dossier.",
        "chronology_key": "les événements désignés comme clés par l'analyste",
        "chronology_documented": "les événements les mieux documentés, par ordre chronologique",
        "actors_limited": "Le tableau présente {shown} des {total} acteurs, les plus centraux d'abord.",
        "key_nodes": "Nœuds clés (centralité d'intermédiarité, part des plus courts chemins passant par l'acteur) : "
                     "{nodes}.",
        "none_recorded": "Aucun élément consigné.",
        "no_events": "Aucun événement n'est consigné à ce niveau de marquage.",
        "no_actors": "Aucun acteur n'est consigné à ce niveau de marquage.",
        "unknown_techniques": "Absentes du catalogue DISARM",
        "by": "par {who}",
        "attributed": "{name} (confiance {confidence})",
        "disarm_source": "Techniques et contre-mesures : {attribution}",
        "handling": "Diffusion",
        "summary_targets": "Cibles : {targets}.",
        "summary_severity": "Gravité : {severity}.",
    },
}

ACTOR_KIND = {
    "en": {"state": "state", "state-affiliated": "state-affiliated", "proxy": "proxy",
           "media-outlet": "media outlet", "account": "account", "individual": "individual",
           "organisation": "organisation", "unknown": "unknown"},
    "fr": {"state": "État", "state-affiliated": "affilié à un État", "proxy": "intermédiaire",
           "media-outlet": "média", "account": "compte", "individual": "individu",
           "organisation": "organisation", "unknown": "inconnu"},
}
#: Relationship types: free slugs an analyst may coin, so a type not listed here is shown as recorded.
#: Listed: the ones RRM Desk derives itself (promotes, involves, carries, supported-by), those the CLI
#: suggests and those the bundled demo and real-data imports use.
RELATIONSHIP_TYPE = {
    "en": {},
    "fr": {"attributed-to": "attribué à", "attributes": "attribue", "amplifies": "amplifie", "controls": "contrôle",
           "funds": "finance", "impersonates": "usurpe l'identité de", "operates": "exploite",
           "operated-by": "exploité par", "directs": "dirige", "tasks": "mandate", "works-with": "collabore avec",
           "coordinates-with": "se coordonne avec", "exposes": "met au jour", "redirects-to": "redirige vers",
           "hosts": "héberge", "uses": "utilise", "related-to": "lié à", "targets": "cible", "promotes": "promeut",
           "involves": "implique", "carries": "véhicule", "supported-by": "étayé par"},
}
RESPONSE_STATUS = {
    "en": {"proposed": "proposed", "planned": "planned", "in-progress": "in progress", "done": "done",
           "cancelled": "cancelled"},
    "fr": {"proposed": "proposée", "planned": "prévue", "in-progress": "en cours", "done": "terminée",
           "cancelled": "annulée"},
}
SEVERITY = {
    "en": {"low": "low", "moderate": "moderate", "high": "high", "critical": "critical"},
    "fr": {"low": "faible", "moderate": "modérée", "high": "élevée", "critical": "critique"},
}
RELIABILITY = {
    "en": {"A": "completely reliable", "B": "usually reliable", "C": "fairly reliable",
           "D": "not usually reliable", "E": "unreliable", "F": "reliability cannot be judged"},
    "fr": {"A": "entièrement fiable", "B": "habituellement fiable", "C": "assez fiable",
           "D": "pas toujours fiable", "E": "peu fiable", "F": "fiabilité impossible à évaluer"},
}
CREDIBILITY = {
    "en": {"1": "confirmed by other sources", "2": "probably true", "3": "possibly true",
           "4": "doubtful", "5": "improbable", "6": "truth cannot be judged"},
    "fr": {"1": "confirmée par d'autres sources", "2": "probablement vraie", "3": "possiblement vraie",
           "4": "douteuse", "5": "improbable", "6": "véracité impossible à évaluer"},
}
#: What each TLP 2.0 label lets the reader do, in one line (FIRST TLP 2.0 definitions, shortened).
TLP_HANDLING = {
    "en": {
        "clear": "Recipients may share this information without restriction.",
        "green": "Recipients may share this information within their community, not publicly.",
        "amber": "Recipients may share this information only within their organisation and its clients, on a "
                 "need-to-know basis.",
        "amber+strict": "Recipients may share this information only within their own organisation, on a need-to-know "
                        "basis.",
        "red": "For the eyes of the named recipients only; do not share further.",
    },
    "fr": {
        "clear": "Les destinataires peuvent diffuser cette information sans restriction.",
        "green": "Les destinataires peuvent diffuser cette information au sein de leur communauté, mais pas "
                 "publiquement.",
        "amber": "Les destinataires ne peuvent diffuser cette information qu'au sein de leur organisation et auprès "
                 "de ses clients, selon le besoin d'en connaître.",
        "amber+strict": "Les destinataires ne peuvent diffuser cette information qu'au sein de leur propre "
                        "organisation, selon le besoin d'en connaître.",
        "red": "Réservé aux seuls destinataires nommés; ne pas diffuser davantage.",
    },
}


def check_language(code: str, what: str = "briefing") -> str:
    """The language code in canonical form, or a UsageError naming the two we write."""
    text = (code or "").strip().lower()
    if text not in LANGUAGES:
        raise UsageError(f"{code!r} is not a {what} language", "use en (English) or fr (French)")
    return text


@dataclass(frozen=True)
class Wording:
    """Everything language-dependent a section needs, for one language."""

    code: str
    #: The fixed words looked up by key; the charts' wording reads its own table.
    table: ClassVar[dict[str, dict[str, str]]] = LABELS

    def __post_init__(self) -> None:
        check_language(self.code)

    def __getitem__(self, key: str) -> str:
        return self.table[self.code][key]

    def text(self, key: str, **values: object) -> str:
        return self.table[self.code][key].format(**values)

    def likelihood(self, value: str) -> str:
        return LIKELIHOOD_TERM[self.code][value]

    def confidence(self, value: str) -> str:
        return CONFIDENCE_TERM[self.code][value]

    def actor_kind(self, value: str) -> str:
        return ACTOR_KIND[self.code].get(value, value)

    def response_status(self, value: str) -> str:
        return RESPONSE_STATUS[self.code].get(value, value)

    def severity(self, value: str) -> str:
        return SEVERITY[self.code].get(value, value)

    def relationship(self, value: str) -> str:
        return RELATIONSHIP_TYPE[self.code].get(value, value)

    def label(self, key: str) -> str:
        """A label followed by its colon: "Basis: " / "Fondement : " (French spaces the colon)."""
        return self.table[self.code][key] + (": " if self.code == "en" else "\u00a0: ")

    def handling(self, tlp: str) -> str:
        return TLP_HANDLING[self.code][tlp]

    def grade(self, reliability: str | None, credibility: str | None, long: bool = False) -> str:
        """An Admiralty grade such as "B2", optionally spelt out; an empty string if ungraded."""
        if not reliability and not credibility:
            return ""
        code = f"{reliability or '?'}{credibility or '?'}"
        if not long:
            return code
        words = [RELIABILITY[self.code][reliability] if reliability else "",
                 CREDIBILITY[self.code][credibility] if credibility else ""]
        return f"{code} ({', '.join(w for w in words if w)})"

    def judgment(self, statement: str, likelihood: str, confidence: str) -> str:
        """A key judgment in the words analysts use ("We assess with moderate confidence that …")."""
        clause = _elide(_THAT[self.code] + _LIKELIHOOD_CLAUSE[self.code][likelihood], self.code)
        body = _as_clause(statement)
        if self.code == "fr" and clause.endswith(" que") and _FRENCH_VOWEL.match(body):
            clause, body = clause[:-4], f"qu'{body}"
        return _ASSESS[self.code].format(confidence=self.confidence(confidence), clause=clause, statement=body) + "."

    def date(self, stamp: str | datetime) -> str:
        """"3 March 2024" / "3 mars 2024" (French writes the first of the month "1er")."""
        moment = to_datetime(stamp) if isinstance(stamp, str) else stamp
        day = f"{moment.day}er" if self.code == "fr" and moment.day == 1 else str(moment.day)
        return f"{day} {_MONTHS[self.code][moment.month - 1]} {moment.year}"

    def month_abbreviation(self, month: int) -> str:
        """"Mar" / "mars" for month 3."""
        return _MONTH_ABBREVIATIONS[self.code][month - 1]

    def short_date(self, moment: datetime) -> str:
        """"03 Mar 2024" / "3 mars 2024" (French writes the first of the month "1er")."""
        if self.code == "en":
            return f"{moment.day:02d} {self.month_abbreviation(moment.month)} {moment.year}"
        day = "1er" if moment.day == 1 else str(moment.day)
        return f"{day} {self.month_abbreviation(moment.month)} {moment.year}"

    def date_time(self, stamp: str, separator: str = " ") -> str:
        """The date, and the UTC time of day when there is one ("14:30" / "14 h 30").

        Tables pass a line break as ``separator`` so a narrow date column never splits a time.
        """
        moment = to_datetime(stamp)
        if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
            return self.date(moment)
        if self.code == "en":
            clock = f"{moment.hour:02d}:{moment.minute:02d}"
        else:
            clock = f"{moment.hour}\u00a0h\u00a0{moment.minute:02d}"
        return f"{self.date(moment)}{separator}{clock}"

    def number(self, value: int) -> str:
        """2,000 / 2 000 (French groups digits with a narrow no-break space)."""
        grouped = f"{value:,}"
        return grouped if self.code == "en" else grouped.replace(",", "\u202f")


def _elide(text: str, code: str) -> str:
    """French "que il" becomes "qu'il"; English is left alone."""
    if code != "fr":
        return text
    return re.sub(r"\bque ([aeiouyàâäéèêëîïôöùûüh])", r"qu'\1", text, flags=re.IGNORECASE)


def _as_clause(statement: str) -> str:
    """The analyst's sentence, fit to follow "that"/"que": no final stop, lower-cased opener."""
    text = " ".join(statement.split()).rstrip(" .")
    first, _, rest = text.partition(" ")
    bare = first.split("'")[0].lower()
    # the analyst may have written the judgment in the other language: either list applies
    if bare in _COMMON_OPENERS["en"] | _COMMON_OPENERS["fr"] and first[:1].isupper() and not first[1:2].isupper():
        text = first[:1].lower() + first[1:] + (f" {rest}" if rest else "")
    return text
