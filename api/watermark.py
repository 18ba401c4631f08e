"""Where a partner resumes an incremental sync: the `Sync-Watermark` header of the list and the
withdrawn list, to send back as `updated_since`.

It is the moment of the last publish or unpublish the answer reflects (the library's stamp),
less OVERLAP: a publish is stamped when its transaction starts and seen when it commits, so a
page committing while the partner synced is found next time rather than missed. What the
overlap brings again has the digest the partner holds already.
"""

from datetime import timedelta

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter

from api.medlineplus import z_time

HEADER = "Sync-Watermark"
OVERLAP = timedelta(seconds=60)

SCHEMA_HEADER = OpenApiParameter(
    HEADER,
    OpenApiTypes.DATETIME,
    OpenApiParameter.HEADER,
    response=[200, 304],
    required=True,
    description="Send it back as updated_since at the next sync, whatever your own clock says: "
    "the last publish or unpublish this answer reflects, less a minute of overlap (UTC, Z).",
)


def add(response, stamp):
    moment = stamp.changed_at - OVERLAP if stamp.changes else stamp.changed_at
    response[HEADER] = z_time(moment)
    return response
