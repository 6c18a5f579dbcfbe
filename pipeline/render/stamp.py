"""Fixed time stamps: editions carry the article's own date, never the clock, so rebuilds give the same bytes."""

from __future__ import annotations

import datetime as dt
import hashlib

from pipeline.model import Document


def modified_time(doc: Document, source_date_epoch: int | None) -> dt.datetime:
    """When the edition was last changed: SOURCE_DATE_EPOCH when given, else the article's own date."""
    if source_date_epoch is not None:
        return dt.datetime.fromtimestamp(source_date_epoch, tz=dt.UTC)
    day = doc.meta.updated or doc.meta.date
    if day is None:
        # An undated article still needs a fixed stamp; derive one from its text so rebuilds agree.
        digest = int(hashlib.sha256(doc.meta.title.encode()).hexdigest()[:8], 16)
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC) + dt.timedelta(seconds=digest % (20 * 365 * 86400))
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)
