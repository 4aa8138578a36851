"""Exchange message tracking logs: CSV rows with the columns their #Fields header names (or the
usual ones, when only Exchange's #Software header says what the file is)."""

import re

from smtpcodes.scan.logformats import STATUS_WORDS, Direction, Found

EXCHANGE_FIELDS = (
    "date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,"
    "internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,"
    "recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,"
    "message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data"
).split(",")
EXCHANGE_ROW = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?,")
_DIRECTIONS: dict[str, Direction] = {"Incoming": "incoming", "Originating": "outgoing"}


def header_fields(line: str, fields: list[str] | None) -> list[str] | None:
    """The columns after a header line ('#Fields:', or Exchange's '#Software:'): else still `fields`."""
    if line.startswith("#Fields:"):
        return [field.strip().lower() for field in line[8:].split(",")]
    if line.startswith("#Software: Microsoft Exchange"):
        return fields or list(EXCHANGE_FIELDS)
    return fields


def exchange_row(number: int, line: str, header: list[str] | None) -> Found | None:
    """One row of an Exchange message tracking log, with the columns of its header (None: none seen)."""
    import csv  # only Exchange logs need it: a syslog scan does not pay for the import

    try:
        row = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return None
    fields = header or EXCHANGE_FIELDS
    if len(row) < min(len(fields), 14):
        return None
    values = dict(zip(fields, row))
    if header is None and not values["event-id"].isupper():
        return None  # a CSV line that only starts like Exchange's, without its header to say so
    return Found(
        number, values.get("recipient-status") or None, "exchange", STATUS_WORDS.get(values.get("event-id", "").lower(), "other"),
        None, values.get("date-time") or None, values.get("recipient-address") or None,
        values.get("sender-address") or None, values.get("internal-message-id") or None,
        host=values.get("server-hostname") or None, program="exchange",
        direction=_DIRECTIONS.get(values.get("directionality", "")),
    )
