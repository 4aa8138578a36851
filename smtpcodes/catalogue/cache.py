"""The catalogue's parse cache: validated data marshalled beside the user's other caches, keyed by
the file's size and time, the smtpcodes and Python versions, and (for a language) its files."""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from pathlib import Path
from typing import Any

from smtpcodes import __version__

CACHE_FORMAT = 7  # bump when what is cached changes shape


class LazyEntries(dict[str, Any]):
    """Tables, entries and message groups kept marshalled until first read: a start-up that
    explains one code unpacks that entry and the few tables and wording groups it needs instead
    of the whole catalogue (the help texts, for one, are read only when help is shown)."""

    def __getitem__(self, key: str) -> Any:
        value = dict.__getitem__(self, key)
        if isinstance(value, bytes):
            value = marshal.loads(value)
            dict.__setitem__(self, key, value)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default

    def values(self) -> list[Any]:  # type: ignore[override]
        return [self[key] for key in self]

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(key, self[key]) for key in self]


def file_stamp(path: str) -> tuple[Any, ...]:
    stat = os.stat(path)
    return (CACHE_FORMAT, __version__, sys.hexversion, stat.st_size, stat.st_mtime_ns)


def load_cache(cache: Path | None, stamp: Any) -> dict[str, Any] | None:
    """Cached data if the cache was written for this stamp; tables and entries stay packed."""
    if cache is None:
        return None
    try:
        with open(cache, "rb") as handle:
            cached_stamp, tables, entries, groups = marshal.load(handle)
        if cached_stamp == stamp:
            data = LazyEntries(tables)
            dict.__setitem__(data, "codes", LazyEntries(entries))
            dict.__setitem__(data, "messages", LazyEntries(groups))
            return data
    except (OSError, ValueError, EOFError, TypeError):
        pass
    return None


def store_cache(cache: Path | None, stamp: Any, data: dict[str, Any]) -> None:
    if cache is not None:
        tables = {name: marshal.dumps(value) for name, value in data.items() if name not in ("codes", "messages")}
        entries = {key: marshal.dumps(entry) for key, entry in data.get("codes", {}).items()}
        groups = {group: marshal.dumps(templates) for group, templates in data.get("messages", {}).items()}
        write_cache(cache, (stamp, tables, entries, groups))


def cache_file(path: str, lang: str = "en") -> Path | None:
    root = os.environ.get("SMTPCODES_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME")
    if not root and not os.environ.get("HOME"):
        return None
    base = Path(root) if root else Path.home() / ".cache"
    tag = zlib.crc32(os.path.abspath(path).encode("utf-8", "surrogateescape"))
    suffix = "" if lang == "en" else f"-{lang}"
    return base / "smtpcodes" / f"catalogue-{tag:08x}{suffix}.marshal"


def write_cache(cache: Path, payload: Any) -> None:
    """Best effort: a read-only or missing home only costs the next start a parse."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        temporary = cache.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(marshal.dumps(payload))
        os.replace(temporary, cache)
    except (OSError, ValueError):
        pass
