"""Import events or actors from a spreadsheet's CSV export, through a column mapping.

Analysts keep incident lists in spreadsheets (DFRLab's FIAT, the EUvsDisinfo database). A
``ColumnMapping`` says which column fills which field; it is saved in the workspace under a
source name ("fiat", "euvsdisinfo") so the next file from the same source imports in one step.
``preview`` shows the first rows as they would be imported, with the error of each bad row;
``import_csv`` imports all rows in one transaction and reports each rejected row by line.

Dates: ISO 8601 first, then the common spreadsheet forms. Slash dates are read month first
(``11/7/2018``, as US sources such as FIAT write them) unless the mapping gives a
``date_format`` such as ``%d/%m/%Y``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from ..clock import parse_time, utc_now
from ..database import db_errors
from ..errors import FormatError, NotFoundError, RRMDeskError, UsageError
from ..model import Actor, Case, Event, Evidence, Narrative, Record
from ..progress import Progress
from ..store import Store
from .report import ImportReport

TARGETS = ("events", "actors")
#: Fields a column may fill, per target; ``*`` marks the required ones, ``+`` multi-valued ones.
FIELDS: dict[str, dict[str, str]] = {
    "events": {
        "title": "*", "start": "*", "end": "", "description": "", "category": "", "location": "", "platform": "",
        "actors": "+", "narratives": "+", "techniques": "+", "urls": "+", "reliability": "", "credibility": "",
        "actor_kind": "",
    },
    "actors": {
        "name": "*", "kind": "", "aliases": "+", "country": "", "platform": "", "handle": "", "description": "",
    },
}
_DATE_FORMATS = ("%m/%d/%Y", "%m/%d/%y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y")
_MAX_FIELD = 10 * 1024 * 1024
_PREVIEW_CASE = "case--00000000-0000-4000-8000-000000000000"


@dataclass
class ColumnMapping:
    """How a CSV source's columns become fields; ``columns`` maps field -> column name.

    A column entry may name alternatives, ``start_date|attribution_date``: the first non-empty
    one is used. ``constants`` fill fields with a fixed value for every row.
    """

    target: str = "events"
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    date_format: str = ""
    separator: str = ","
    encoding: str = "utf-8"

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise UsageError(f"cannot import CSV rows as {self.target!r}", f"use one of: {', '.join(TARGETS)}")
        allowed = FIELDS[self.target]
        unknown = sorted((set(self.columns) | set(self.constants)) - set(allowed))
        if unknown:
            raise UsageError(f"{', '.join(unknown)} cannot be filled from a CSV column for {self.target}",
                             f"fields are: {', '.join(allowed)}")
        missing = [f for f, flag in allowed.items() if flag == "*" and f not in self.columns and f not in self.constants]
        if missing:
            raise UsageError(f"the mapping does not say which column holds the {' and '.join(missing)}",
                             f"add --map {missing[0]}=COLUMN")
        if not self.separator:
            raise UsageError("the multi-value separator is empty", "use for example ',' or '+'")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "ColumnMapping":
        names = {"target", "columns", "constants", "date_format", "separator", "encoding"}
        return cls(**{k: v for k, v in data.items() if k in names})

    def with_changes(self, **changes: Any) -> "ColumnMapping":
        data = self.to_dict()
        for key in ("columns", "constants"):
            if key in changes:
                data[key] = {**data[key], **changes.pop(key)}
        data.update({k: v for k, v in changes.items() if v is not None})
        return ColumnMapping.from_dict(data)


@dataclass
class PreviewRow:
    line: int
    values: dict[str, Any]
    error: str = ""


@dataclass
class CsvPreview:
    header: list[str]
    rows: list[PreviewRow]

    def to_dict(self) -> dict[str, Any]:
        return {"header": self.header, "rows": [asdict(r) for r in self.rows]}


# -- saved mappings ---------------------------------------------------------------------


def save_mapping(store: Store, name: str, mapping: ColumnMapping) -> None:
    name = name.strip()
    if not name:
        raise UsageError("the mapping needs a name", "name it after the source, e.g. --mapping fiat")
    with store.transaction():
        store.db.conn.execute(
            "INSERT OR REPLACE INTO csv_mappings (name, body, modified) VALUES (?, ?, ?)",
            (name, json.dumps(mapping.to_dict(), sort_keys=True), utc_now()),
        )


def load_mapping(store: Store, name: str) -> ColumnMapping | None:
    with db_errors():
        row = store.db.conn.execute("SELECT body FROM csv_mappings WHERE name = ?", (name.strip(),)).fetchone()
    return ColumnMapping.from_dict(json.loads(row[0])) if row else None


def list_mappings(store: Store) -> dict[str, ColumnMapping]:
    with db_errors():
        rows = store.db.conn.execute("SELECT name, body FROM csv_mappings ORDER BY name").fetchall()
    return {name: ColumnMapping.from_dict(json.loads(body)) for name, body in rows}


# -- reading ----------------------------------------------------------------------------


def parse_date(text: str, date_format: str = "") -> str:
    """A spreadsheet date in the canonical UTC form; UsageError naming the value otherwise."""
    value = text.strip()
    if date_format:
        try:
            return parse_time(datetime.strptime(value, date_format), "date")
        except ValueError:
            raise UsageError(f"{value!r} is not a date in the form {date_format}", "fix the cell or the date format") from None
    try:
        return parse_time(value, "date")
    except UsageError:
        pass
    for form in _DATE_FORMATS:
        try:
            return parse_time(datetime.strptime(value, form), "date")
        except ValueError:
            continue
    raise UsageError(f"{value!r} is not a date RRM Desk can read",
                     "use 2020-11-07, 11/7/2020 or give the mapping a date format")


class _Rows:
    """The CSV's header and rows (with their line numbers), decoded strictly."""

    def __init__(self, source: Path | BinaryIO, encoding: str) -> None:
        self.name = source.name if isinstance(source, Path) else getattr(source, "name", "") or ""
        self.source = source
        self.encoding = encoding
        csv.field_size_limit(_MAX_FIELD)

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        try:
            stream: BinaryIO = self.source.open("rb") if isinstance(self.source, Path) else self.source  # type: ignore[assignment]
        except OSError as exc:
            raise FormatError(f"cannot read {self.source}: {exc.strerror or exc}", "check the path") from exc
        encoding = "utf-8-sig" if self.encoding.lower().replace("_", "-") in ("utf-8", "utf8") else self.encoding
        try:
            text = io.TextIOWrapper(stream, encoding=encoding, errors="strict", newline="")
        except LookupError:
            raise UsageError(f"{self.encoding!r} is not a text encoding", "use utf-8, cp1252 or latin-1") from None
        reader = csv.reader(text)
        try:
            for row in reader:
                yield reader.line_num, row
        except UnicodeDecodeError:
            raise FormatError(
                f"the file is not {self.encoding} text (a bad byte near line {reader.line_num + 1})",
                "save it as UTF-8, or give its encoding (e.g. --encoding cp1252); nothing was imported",
            ) from None
        except csv.Error as exc:
            raise FormatError(f"the CSV is malformed near line {reader.line_num}: {exc}",
                              "check the file; nothing was imported") from None
        finally:
            text.detach()
            if isinstance(self.source, Path):
                stream.close()


def _header(rows: Iterator[tuple[int, list[str]]], mapping: ColumnMapping) -> dict[str, int]:
    try:
        _, header = next(rows)
    except StopIteration:
        raise FormatError("the CSV file is empty", "export the sheet again with its header row") from None
    positions: dict[str, int] = {}
    for i, name in enumerate(header):
        positions.setdefault(name.strip(), i)  # a repeated header name means its first column
    wanted = {alt.strip() for column in mapping.columns.values() for alt in column.split("|")}
    missing = sorted(wanted - positions.keys())
    if missing:
        shown = ", ".join(list(positions)[:30])
        raise FormatError(f"the CSV has no column {', '.join(repr(m) for m in missing)}",
                          f"its columns are: {shown}; fix the mapping with --map FIELD=COLUMN")
    return positions


def _cell(row: list[str], positions: dict[str, int], column: str) -> str:
    for alternative in column.split("|"):
        index = positions[alternative.strip()]
        value = row[index].strip() if index < len(row) else ""
        if value:
            return value
    return ""


def _values(row: list[str], positions: dict[str, int], mapping: ColumnMapping) -> dict[str, Any]:
    """The row as field -> value (lists for multi-valued fields), dates normalised."""
    out: dict[str, Any] = {}
    flags = FIELDS[mapping.target]
    raw = {**mapping.constants, **{f: _cell(row, positions, c) for f, c in mapping.columns.items()}}
    for name, value in raw.items():
        if flags[name] == "+":
            out[name] = [v.strip() for v in value.split(mapping.separator) if v.strip()]
        elif name in ("start", "end"):
            out[name] = parse_date(value, mapping.date_format) if value else None
        else:
            out[name] = value
    for name, flag in flags.items():
        if flag == "*" and not out.get(name):
            raise UsageError(f"the {name} is empty", "fill the cell or map another column")
    return out


def preview(source: Path | BinaryIO, mapping: ColumnMapping, limit: int = 10) -> CsvPreview:
    """The header and the first ``limit`` rows as they would be imported, each with its error."""
    rows = iter(_Rows(source, mapping.encoding))
    positions = _header(rows, mapping)
    out: list[PreviewRow] = []
    index = _CaseIndex(_PREVIEW_CASE, [], [])
    build = _event_records if mapping.target == "events" else _actor_records
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        try:
            values = _values(row, positions, mapping)
            build(values, index)  # the model's own checks (an end before the start...)
            out.append(PreviewRow(line, values))
        except RRMDeskError as exc:
            out.append(PreviewRow(line, {}, exc.text()))
        if len(out) >= limit:
            break
    return CsvPreview(list(positions), out)


# -- importing --------------------------------------------------------------------------


class _CaseIndex:
    """Actors and narratives of the case by name, so a name in many rows is one record."""

    def __init__(self, case_id: str, actors: list[Actor], narratives: list[Narrative]) -> None:
        self.case_id = case_id
        self.actors = {a.name.casefold(): a for a in actors}
        self.narratives = {n.title.casefold(): n for n in narratives}

    @classmethod
    def of(cls, store: Store, case: Case) -> "_CaseIndex":
        return cls(case.id, store.parts(case.id, Actor), store.parts(case.id, Narrative))

    def actor(self, name: str, kind: str, new: list[Record]) -> Actor:
        key = " ".join(name.split()).casefold()
        if key not in self.actors:
            actor = Actor(case_id=self.case_id, name=name, kind=kind or "unknown")
            self.actors[key] = actor
            new.append(actor)
        return self.actors[key]

    def narrative(self, title: str, new: list[Record]) -> Narrative:
        key = " ".join(title.split()).casefold()
        if key not in self.narratives:
            narrative = Narrative(case_id=self.case_id, title=title)
            self.narratives[key] = narrative
            new.append(narrative)
        return self.narratives[key]


def _event_records(values: dict[str, Any], index: _CaseIndex) -> list[Record]:
    new: list[Record] = []
    kind = values.get("actor_kind", "")
    actors = [index.actor(name, kind, new) for name in values.get("actors", [])]
    narratives = [index.narrative(title, new) for title in values.get("narratives", [])]
    evidence = [Evidence(case_id=index.case_id, title=url[:300], kind="url", url=url, source="CSV import")
                for url in values.get("urls", [])]
    event = Event(
        case_id=index.case_id,
        title=values["title"],
        start=values["start"],
        end=values.get("end"),
        description=values.get("description", ""),
        category=values.get("category", ""),
        location=values.get("location", ""),
        platform=values.get("platform", ""),
        actor_ids=[a.id for a in actors],
        narrative_ids=[n.id for n in narratives],
        evidence_ids=[e.id for e in evidence],
        techniques=values.get("techniques", []),
        reliability=values.get("reliability") or None,
        credibility=values.get("credibility") or None,
    )
    return [*new, *evidence, event]


def _actor_records(values: dict[str, Any], index: _CaseIndex) -> list[Record]:
    key = " ".join(values["name"].split()).casefold()
    if key in index.actors:
        return []
    actor = Actor(case_id=index.case_id, name=values["name"], kind=values.get("kind") or "unknown",
                  aliases=values.get("aliases", []), country=values.get("country", ""),
                  platform=values.get("platform", ""), handle=values.get("handle", ""),
                  description=values.get("description", ""))
    index.actors[key] = actor
    return [actor]


def import_csv(store: Store, source: Path | BinaryIO, mapping: ColumnMapping, *, case_id: str | None = None,
               case_title: str | None = None, strict: bool = False, progress: Progress | None = None) -> ImportReport:
    """Import every row in one transaction; a bad row is rejected with its line and reason.

    With ``strict``, any bad row aborts the whole import instead. Without ``case_id`` a new
    case is opened, titled ``case_title`` or after the file.
    """
    progress = progress or Progress()
    rows_reader = _Rows(source, mapping.encoding)
    report = ImportReport(format=f"csv ({mapping.target})", source=rows_reader.name)
    total = source.stat().st_size if isinstance(source, Path) else 0
    with store.transaction():
        if case_id:
            case = store.get_case(case_id)
        else:
            title = case_title or f"Imported {rows_reader.name or 'CSV rows'}"
            case = store.create_case(title[:300])
            report.added["case"] += 1
        report.case_id = case.id
        index = _CaseIndex.of(store, case)
        rows = iter(rows_reader)
        positions = _header(rows, mapping)
        batch: list[Record] = []
        seen_rows = 0
        for line, row in rows:
            seen_rows += 1
            if seen_rows % 500 == 0:
                progress.update(seen_rows, max(total // 200, seen_rows), "importing rows")
            if not any(cell.strip() for cell in row):
                continue
            try:
                values = _values(row, positions, mapping)
                records = _event_records(values, index) if mapping.target == "events" else _actor_records(values, index)
            except RRMDeskError as exc:
                if strict:
                    raise FormatError(f"line {line}: {exc.message}", "fix the row, or import without --strict") from None
                report.reject(f"line {line}", exc.text())
                continue
            if mapping.target == "actors" and not records:
                report.unchanged["actor"] += 1
            batch.extend(records)
            if len(batch) >= 5000:
                _save(store, batch, report)
                batch = []
        _save(store, batch, report)
    return report


def _save(store: Store, batch: list[Record], report: ImportReport) -> None:
    store.add_many(batch)
    for record in batch:
        report.added[record.KIND] += 1


def mapping_for(store: Store, name: str | None, base: ColumnMapping | None = None, **changes: Any) -> ColumnMapping:
    """The saved mapping ``name`` with ``changes`` applied, or a new one built from them."""
    saved = load_mapping(store, name) if name else None
    if name and saved is None and not changes.get("columns"):
        raise NotFoundError(f"no saved CSV mapping named {name!r}",
                            "create it with --mapping NAME --map FIELD=COLUMN ...; see 'rrmdesk import --list-mappings'")
    start = saved or base
    if start is None:
        clean = {k: v for k, v in changes.items() if v is not None}
        return ColumnMapping.from_dict(clean)
    return start.with_changes(**changes) if changes else start
