"""Reading and checking the console's JSON settings files (wall layouts, desk presets): every
error names the file, the field and the value."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

SHOWN_MAX = 80  # characters of a bad value quoted in an error


def read_json(path: Path, what: str, error: type[ValueError]) -> Any:
    """The parsed file; error(...) naming the file when it cannot be read or is not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{path}: cannot read the {what}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise error(f"{path}: not JSON: {exc}") from None


@dataclass(frozen=True, slots=True)
class FieldChecker:
    """Raises error with `source: field = value: why` for the document read from source."""

    source: str
    error: type[ValueError]
    root: str = "document"  # what a fault at the top level is called

    def fail(self, field_path: str, value: Any, why: str) -> NoReturn:
        try:
            shown = json.dumps(value, ensure_ascii=False)
        except (TypeError, ValueError):
            shown = repr(value)
        if len(shown) > SHOWN_MAX:
            shown = shown[: SHOWN_MAX - 3] + "..."
        raise self.error(f"{self.source}: {field_path or self.root} = {shown}: {why}")

    def object(self, doc: Any, path: str, known: set[str]) -> dict[str, Any]:
        """doc as an object with no field outside known."""
        if not isinstance(doc, dict):
            self.fail(path, doc, "must be an object")
        unknown = sorted(set(doc) - known)
        if unknown:
            where = f"{path}.{unknown[0]}" if path else unknown[0]
            self.fail(where, doc[unknown[0]], f"unknown field; known: {', '.join(sorted(known))}")
        return doc
