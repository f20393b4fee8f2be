"""MkDocs hook: render the message catalogue into the errors page.

The hook replaces the marker ``<!-- error-catalogue -->`` with one table
row per error code. The published list is built from the catalogue at
every build, so it always matches the messages the library raises.
"""

from __future__ import annotations

from typing import Any

from portail_core._catalogue import MESSAGES

MARKER = "<!-- error-catalogue -->"


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Replace the marker with the catalogue table."""
    if MARKER not in markdown:
        return markdown
    rows = ["| Code | Français | English |", "| --- | --- | --- |"]
    for code in sorted(MESSAGES):
        french, english = MESSAGES[code]
        rows.append(f"| `{code}` | {_cell(french)} | {_cell(english)} |")
    return markdown.replace(MARKER, "\n".join(rows))


def _cell(text: str) -> str:
    # Braces are message placeholders; show them as code, and keep the
    # table intact if a message ever contains a pipe.
    return text.replace("|", "\\|").replace("{", "`{").replace("}", "}`")
