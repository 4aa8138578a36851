"""The catalogue's `[messages.<group>]` templates: every word of the output, filled from data."""

from __future__ import annotations

from typing import Any


class Messages:
    """Templates by group and key; `text` fills one with named values."""

    def __init__(self, table: dict[str, Any]):
        self.table = table

    def text(self, group: str, key: str, **values: object) -> str:
        """The template `group.key` filled with `values`; its path when the catalogue lacks it,
        so that a missing template shows up in the output instead of crashing a command."""
        template = (self.table.get(group) or {}).get(key)
        if not isinstance(template, str):
            return f"{group}.{key}"
        return template.format_map(values) if values else template

    def has(self, group: str, key: str) -> bool:
        return isinstance((self.table.get(group) or {}).get(key), str)


def template_problems(table: Any) -> list[str]:
    """What is wrong with a `messages` table: groups of text templates with well-formed braces."""
    import string  # only validation parses templates; a start that reads them does not pay for it

    if not isinstance(table, dict):
        return ["messages: must be a table of groups"]
    problems = []
    for group, templates in table.items():
        if not isinstance(templates, dict):
            problems.append(f"messages.{group}: must be a table of templates")
            continue
        for key, template in templates.items():
            if not isinstance(template, str) or not template.strip():
                problems.append(f"messages.{group}.{key}: must be text")
                continue
            try:
                fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
            except ValueError as exc:
                problems.append(f"messages.{group}.{key}: {exc} (write {{{{ and }}}} for literal braces)")
                continue
            if any(not name.isidentifier() for name in fields):
                problems.append(f"messages.{group}.{key}: placeholders are {{name}}, not positional or indexed")
    return problems
