"""Ids and timestamps: STIX-style ``type--uuid4`` ids and UTC ISO 8601 times ending in ``Z``."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime, timezone

from .errors import UsageError

_ID = re.compile(r"^[a-z][a-z0-9-]*--[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def new_id(kind: str) -> str:
    return f"{kind}--{uuid.uuid4()}"


def is_id(text: str) -> bool:
    return bool(_ID.match(text))


def id_kind(object_id: str) -> str:
    return object_id.split("--", 1)[0]


def format_time(moment: datetime) -> str:
    """Millisecond precision, as STIX timestamps usually carry."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    moment = moment.astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def utc_now() -> str:
    return format_time(datetime.now(timezone.utc))


def parse_time(text: str | datetime | date, what: str = "time") -> str:
    """Accept an ISO 8601 date or date-time and return the canonical UTC form.

    A time without a zone is taken as UTC: analysts copy times from sources that mostly give
    UTC, and guessing the machine's zone would make the same case differ between ministries.
    """
    if isinstance(text, datetime):
        return format_time(text)
    if isinstance(text, date):
        return format_time(datetime(text.year, text.month, text.day, tzinfo=timezone.utc))
    raw = str(text).strip()
    candidate = raw[:-1] + "+00:00" if raw.endswith(("Z", "z")) else raw
    try:
        if len(candidate) == 10:
            parsed = datetime.combine(date.fromisoformat(candidate), datetime.min.time())
        else:
            parsed = datetime.fromisoformat(candidate)
    except ValueError:
        raise UsageError(
            f"{raw!r} is not a valid {what}",
            "use ISO 8601, for example 2024-03-01 or 2024-03-01T14:30:00Z",
        ) from None
    return format_time(parsed)


def to_datetime(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))
