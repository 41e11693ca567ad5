"""The analyst's domain: cases and what they hold (DESIGN.md section 5).

Each record is a plain dataclass that checks itself when built, so invalid data is refused
where it enters (CLI, desktop form, importer) with a message naming the field. Records do not
know about the database; ``rrmdesk.store`` turns them into rows.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from . import vocab
from .clock import is_id, new_id, parse_time
from .errors import UsageError

MAX_TITLE = 300
MAX_TEXT = 1_000_000
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_RELATIONSHIP_TYPE = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_COUNTERMEASURE = re.compile(r"^C\d{5}$")


def _title(value: str, what: str = "title") -> str:
    text = " ".join(str(value).split())
    if not text:
        raise UsageError(f"the {what} is empty", f"give a short {what}")
    if len(text) > MAX_TITLE:
        raise UsageError(
            f"the {what} is {len(text)} characters long",
            f"keep it under {MAX_TITLE} characters; put detail in the summary or description",
        )
    return text


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise UsageError(f"the {what} is over {MAX_TEXT:,} characters", "attach long text as evidence")
    return text


def _optional_time(value: str | None, what: str) -> str | None:
    return parse_time(value, what) if value else None


def _optional_choice(value: str | None, allowed: tuple[str, ...], what: str) -> str | None:
    return vocab.choose(value, allowed, what) if value else None


def _country(value: str | None) -> str:
    text = (value or "").strip().upper()
    if text and not _COUNTRY.match(text):
        raise UsageError(f"{value!r} is not an ISO 3166 country code", "use two letters, e.g. FR or CA")
    return text


def _ref(value: str, what: str) -> str:
    if not is_id(value):
        raise UsageError(f"{value!r} is not an RRM Desk id ({what})", "ids look like actor--<uuid>")
    return value


def _refs(values: list[str], what: str) -> list[str]:
    return list(dict.fromkeys(_ref(v, what) for v in values))


_encode_json = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode


def _json_text(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, sort_keys=True)``, quicker for the common empty list."""
    return "[]" if value == [] else _encode_json(value)


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


@functools.cache
def _json_fields(cls: type) -> frozenset[str]:
    return frozenset(f.name for f in dataclasses.fields(cls) if str(f.type).startswith(("list", "dict")))


@functools.cache
def _bool_fields(cls: type) -> frozenset[str]:
    """Fields stored as 0 or 1 (SQLite has no booleans)."""
    return frozenset(f.name for f in dataclasses.fields(cls) if str(f.type) == "bool")


@functools.cache
def _row_reader(cls: type) -> Callable[[Any], list[Any]]:
    """Record -> its column values in field order as the database stores them: lists and dicts
    as JSON text, booleans as 0 or 1.

    Read with one ``attrgetter`` call (in C): bulk imports turn every record into a row.
    """
    names = _field_names(cls)
    read = operator.attrgetter(*names) if len(names) > 1 else (lambda record: (getattr(record, names[0]),))
    json_positions = [position for position, name in enumerate(names) if name in _json_fields(cls)]
    bool_positions = [position for position, name in enumerate(names) if name in _bool_fields(cls)]

    def values(record: Any) -> list[Any]:
        row = list(read(record))
        for position in json_positions:
            row[position] = _json_text(row[position])
        for position in bool_positions:
            row[position] = int(row[position])
        return row

    return values


@dataclass(kw_only=True)
class Record:
    """Fields every object has; ``tlp`` None means 'as the case'."""

    KIND: ClassVar[str] = "record"
    TABLE: ClassVar[str] = ""
    #: field shown as the object's name in lists and search hits
    LABEL: ClassVar[str] = "title"
    #: fields indexed for full-text search
    TEXT: ClassVar[tuple[str, ...]] = ()

    id: str = ""
    created: str = ""
    modified: str = ""

    def __post_init__(self) -> None:
        if not self.id:
            self.id = new_id(self.KIND)
        self.validate()

    def validate(self) -> None:
        """Normalise fields in place and raise UsageError for anything invalid."""

    @property
    def label(self) -> str:
        return str(getattr(self, self.LABEL))

    def search_body(self) -> str:
        parts: list[str] = []
        for name in self.TEXT:
            value = getattr(self, name)
            if isinstance(value, list):
                parts.extend(value)
            elif value:
                parts.append(str(value))
        return "\n".join([p for p in parts if p])

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return _field_names(cls)

    @classmethod
    def json_fields(cls) -> frozenset[str]:
        return _json_fields(cls)

    def to_row(self) -> dict[str, Any]:
        """Column name -> value, lists and dicts as JSON text (no deep copy as ``to_dict`` makes)."""
        return dict(zip(_field_names(type(self)), self.row_values()))

    def row_values(self) -> list[Any]:
        """The column values in ``field_names()`` order, as ``to_row`` gives them."""
        return _row_reader(type(self))(self)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Record":
        values = {k: row[k] for k in cls.field_names() if k in row}
        for name in cls.json_fields() & values.keys():
            if isinstance(values[name], str):
                values[name] = json.loads(values[name])
        for name in _bool_fields(cls) & values.keys():
            values[name] = bool(values[name])
        return cls(**values)

    def with_changes(self, **changes: Any) -> "Record":
        """A validated copy with ``changes`` applied; unknown field names are refused."""
        unknown = set(changes) - set(self.field_names()) | ({"id", "created"} & set(changes))
        if unknown:
            raise UsageError(f"cannot change {', '.join(sorted(unknown))}", "these fields are fixed")
        return dataclasses.replace(self, **changes)


@dataclass(kw_only=True)
class Case(Record):
    KIND: ClassVar[str] = "case"
    TABLE: ClassVar[str] = "cases"
    TEXT: ClassVar[tuple[str, ...]] = ("summary", "targets", "lessons")

    title: str
    summary: str = ""
    status: str = "open"
    severity: str = "moderate"
    tlp: str = "amber"
    target_countries: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    lessons: str = ""
    created_by: str = ""

    def validate(self) -> None:
        self.title = _title(self.title)
        self.summary = _text(self.summary, "summary")
        self.lessons = _text(self.lessons, "lessons learned")
        self.status = vocab.choose(self.status, vocab.CASE_STATUS, "case status")
        self.severity = vocab.choose(self.severity, vocab.SEVERITY, "severity")
        self.tlp = vocab.choose(self.tlp, vocab.TLP, "TLP marking")
        self.target_countries = list(dict.fromkeys(_country(c) for c in self.target_countries if c))
        self.targets = [t.strip() for t in self.targets if t.strip()]


@dataclass(kw_only=True)
class CaseRecord(Record):
    """An object that belongs to one case and may carry a marking stricter than the case."""

    case_id: str
    tlp: str | None = None

    def validate(self) -> None:
        _ref(self.case_id, "case")
        self.tlp = _optional_choice(self.tlp, vocab.TLP, "TLP marking")
        self.check()

    def check(self) -> None:
        """Type-specific validation."""


@dataclass(kw_only=True)
class Actor(CaseRecord):
    KIND: ClassVar[str] = "actor"
    TABLE: ClassVar[str] = "actors"
    LABEL: ClassVar[str] = "name"
    TEXT: ClassVar[tuple[str, ...]] = ("aliases", "handle", "description")

    name: str
    kind: str = "unknown"
    aliases: list[str] = field(default_factory=list)
    country: str = ""
    platform: str = ""
    handle: str = ""
    attributed_to: str = ""
    attribution_confidence: str | None = None
    description: str = ""

    def check(self) -> None:
        self.name = _title(self.name, "actor name")
        self.kind = vocab.choose(self.kind, vocab.ACTOR_KIND, "actor kind")
        self.aliases = list(dict.fromkeys(a.strip() for a in self.aliases if a.strip()))
        self.country = _country(self.country)
        self.description = _text(self.description, "description")
        if self.attributed_to:
            _ref(self.attributed_to, "attributed-to actor")
        self.attribution_confidence = _optional_choice(
            self.attribution_confidence, vocab.CONFIDENCE, "attribution confidence"
        )


@dataclass(kw_only=True)
class Event(CaseRecord):
    KIND: ClassVar[str] = "event"
    TABLE: ClassVar[str] = "events"
    TEXT: ClassVar[tuple[str, ...]] = ("description", "location", "platform")

    title: str
    start: str
    end: str | None = None
    description: str = ""
    category: str = ""
    location: str = ""
    platform: str = ""
    actor_ids: list[str] = field(default_factory=list)
    narrative_ids: list[str] = field(default_factory=list)
    evidence_ids: list[str] = field(default_factory=list)
    techniques: list[str] = field(default_factory=list)
    reliability: str | None = None
    credibility: str | None = None
    key: bool = False

    def check(self) -> None:
        from .disarm import normalise_code

        self.title = _title(self.title, "event title")
        self.start = parse_time(self.start, "event start")
        self.end = _optional_time(self.end, "event end")
        if self.end and self.end < self.start:
            raise UsageError("the event ends before it starts", "check its start and end times")
        self.description = _text(self.description, "description")
        self.actor_ids = _refs(self.actor_ids, "actor")
        self.narrative_ids = _refs(self.narrative_ids, "narrative")
        self.evidence_ids = _refs(self.evidence_ids, "evidence")
        self.techniques = list(dict.fromkeys(normalise_code(t) for t in self.techniques))
        self.reliability = _optional_choice(self.reliability, vocab.RELIABILITY, "source reliability")
        self.credibility = _optional_choice(self.credibility, vocab.CREDIBILITY, "credibility")


@dataclass(kw_only=True)
class Narrative(CaseRecord):
    KIND: ClassVar[str] = "narrative"
    TABLE: ClassVar[str] = "narratives"
    TEXT: ClassVar[tuple[str, ...]] = ("description",)

    title: str
    description: str = ""
    language: str = ""
    first_seen: str | None = None

    def check(self) -> None:
        self.title = _title(self.title, "narrative title")
        self.description = _text(self.description, "description")
        self.first_seen = _optional_time(self.first_seen, "first seen")


@dataclass(kw_only=True)
class Evidence(CaseRecord):
    """A file (bytes stored encrypted in the workspace), a URL or a text excerpt."""

    KIND: ClassVar[str] = "evidence"
    TABLE: ClassVar[str] = "evidence"
    TEXT: ClassVar[tuple[str, ...]] = ("filename", "url", "text", "source", "description")

    title: str
    kind: str = "file"
    filename: str = ""
    media_type: str = ""
    size: int = 0
    sha256: str = ""
    url: str = ""
    text: str = ""
    description: str = ""
    source: str = ""
    captured_at: str | None = None
    captured_by: str = ""
    reliability: str | None = None
    credibility: str | None = None
    custody: list[dict[str, str]] = field(default_factory=list)

    def check(self) -> None:
        self.title = _title(self.title, "evidence title")
        self.kind = vocab.choose(self.kind, vocab.EVIDENCE_KIND, "evidence kind")
        self.text = _text(self.text, "evidence text")
        self.captured_at = _optional_time(self.captured_at, "capture time")
        self.reliability = _optional_choice(self.reliability, vocab.RELIABILITY, "source reliability")
        self.credibility = _optional_choice(self.credibility, vocab.CREDIBILITY, "credibility")
        if self.kind == "file" and not re.fullmatch(r"[0-9a-f]{64}", self.sha256):
            raise UsageError("file evidence needs its SHA-256", "add files with 'rrmdesk evidence add'")
        if self.kind == "url" and not self.url:
            raise UsageError("URL evidence needs a URL", "pass --url")


@dataclass(kw_only=True)
class Relationship(CaseRecord):
    KIND: ClassVar[str] = "relationship"
    TABLE: ClassVar[str] = "relationships"
    LABEL: ClassVar[str] = "type"
    TEXT: ClassVar[tuple[str, ...]] = ("description",)

    source_id: str
    type: str
    target_id: str
    confidence: str | None = None
    first_seen: str | None = None
    last_seen: str | None = None
    evidence_ids: list[str] = field(default_factory=list)
    description: str = ""

    def check(self) -> None:
        _ref(self.source_id, "relationship source")
        _ref(self.target_id, "relationship target")
        kind = self.type.strip().lower().replace(" ", "-").replace("_", "-")
        if not _RELATIONSHIP_TYPE.match(kind):
            raise UsageError(
                f"{self.type!r} is not a relationship type",
                "use lower-case words joined by hyphens, e.g. attributed-to, amplifies, controls",
            )
        self.type = kind
        self.confidence = _optional_choice(self.confidence, vocab.CONFIDENCE, "confidence")
        self.first_seen = _optional_time(self.first_seen, "first seen")
        self.last_seen = _optional_time(self.last_seen, "last seen")
        self.evidence_ids = _refs(self.evidence_ids, "evidence")
        self.description = _text(self.description, "description")


@dataclass(kw_only=True)
class Observable(CaseRecord):
    """An account, URL, domain, e-mail, phone or hash; ``normalized`` is what correlates."""

    KIND: ClassVar[str] = "observable"
    TABLE: ClassVar[str] = "observables"
    LABEL: ClassVar[str] = "value"
    TEXT: ClassVar[tuple[str, ...]] = ("normalized", "note")

    value: str
    kind: str = ""
    normalized: str = ""
    note: str = ""

    def check(self) -> None:
        from .observables import classify, normalise

        self.value = _title(self.value, "observable value")
        self.kind = vocab.choose(self.kind, vocab.OBSERVABLE_KIND, "observable kind") if self.kind else classify(self.value)
        self.normalized = normalise(self.kind, self.value)

    def with_changes(self, **changes: Any) -> "Record":
        """A new value is classified again, unless the analyst had chosen a kind other than the
        one the old value was detected as (then their choice stands)."""
        from .observables import classify

        if "value" in changes and "kind" not in changes and self.kind == classify(self.value):
            changes["kind"] = ""
        return super().with_changes(**changes)


@dataclass(kw_only=True)
class TechniqueUse(CaseRecord):
    """A DISARM technique seen in the case, by T-code (never by STIX id; DESIGN.md 5)."""

    KIND: ClassVar[str] = "technique-use"
    TABLE: ClassVar[str] = "techniques"
    LABEL: ClassVar[str] = "code"
    TEXT: ClassVar[tuple[str, ...]] = ("code", "note")

    code: str
    note: str = ""

    def check(self) -> None:
        from .disarm import normalise_code

        self.code = normalise_code(self.code)
        self.note = _text(self.note, "note")


@dataclass(kw_only=True)
class Judgment(CaseRecord):
    """A key judgment, worded with ICD 203 likelihood and an analytic confidence."""

    KIND: ClassVar[str] = "judgment"
    TABLE: ClassVar[str] = "judgments"
    LABEL: ClassVar[str] = "statement"
    TEXT: ClassVar[tuple[str, ...]] = ("basis",)

    statement: str
    likelihood: str = "roughly-even-chance"
    confidence: str = "moderate"
    basis: str = ""

    def check(self) -> None:
        self.statement = _text(self.statement, "judgment")
        if not self.statement:
            raise UsageError("the judgment is empty", "state the judgment in one sentence")
        self.likelihood = vocab.choose(self.likelihood, vocab.LIKELIHOOD, "likelihood")
        self.confidence = vocab.choose(self.confidence, vocab.CONFIDENCE, "confidence")
        self.basis = _text(self.basis, "basis")


@dataclass(kw_only=True)
class Response(CaseRecord):
    KIND: ClassVar[str] = "response"
    TABLE: ClassVar[str] = "responses"
    LABEL: ClassVar[str] = "action"
    TEXT: ClassVar[tuple[str, ...]] = ("party",)

    action: str
    countermeasure: str = ""
    party: str = ""
    status: str = "proposed"
    date: str | None = None

    def check(self) -> None:
        self.action = _title(self.action, "response action")
        code = self.countermeasure.strip().upper()
        if code and not _COUNTERMEASURE.match(code):
            raise UsageError(f"{self.countermeasure!r} is not a DISARM countermeasure", "codes look like C00009")
        self.countermeasure = code
        self.status = vocab.choose(self.status, vocab.RESPONSE_STATUS, "response status")
        self.date = _optional_time(self.date, "date")


#: Every kind of object a case holds, in the order exports and reports list them.
CASE_PARTS: tuple[type[CaseRecord], ...] = (
    Actor,
    Narrative,
    Event,
    Evidence,
    Relationship,
    Observable,
    TechniqueUse,
    Judgment,
    Response,
)
RECORD_TYPES: dict[str, type[Record]] = {t.KIND: t for t in (Case, *CASE_PARTS)}
