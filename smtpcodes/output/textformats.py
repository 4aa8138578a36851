"""Tables as CSV (for spreadsheets and scripts) and Markdown (for pasting into a ticket)."""

from __future__ import annotations

from smtpcodes.output.safetext import printable
from smtpcodes.output.tableview import Table


def csv_text(table: Table) -> str:
    """RFC 4180 CSV with a header row; cells keep their text, control characters escaped."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.headers)
    writer.writerows([printable(cell) for cell in row] for row in table.rows)
    return buffer.getvalue()


def _markdown_cell(text: str) -> str:
    # A pipe would end the cell and a newline the row; backslashes and HTML-looking text are
    # escaped so that server text renders as the text it is.
    cell = printable(text, one_line=False).replace("\\", "\\\\").replace("|", "\\|")
    return cell.replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")


def markdown_text(table: Table) -> str:
    """A GitHub-flavoured Markdown table under a bold title."""
    lines = [f"**{_markdown_cell(table.title)}**", ""]
    lines.append("| " + " | ".join(_markdown_cell(h) for h in table.headers) + " |")
    lines.append("|" + "|".join("---" for _ in table.headers) + "|")
    lines.extend("| " + " | ".join(_markdown_cell(cell) for cell in row) + " |" for row in table.rows)
    return "\n".join(lines) + "\n"
