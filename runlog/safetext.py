"""Showing text someone else wrote without letting it drive the terminal.

A note imported from Strava, a file name typed on the command line or a value in the config
file can hold ESC (cursor moves, screen clears, OSC 52 clipboard writes), C1 controls (which
some terminals read as ESC sequences) or bidi overrides that reorder what is shown. Every
human-readable line runlog prints goes through `visible`, which spells those characters out
(`\\x1b`, `\\u202e`) and leaves all other text, and the newline and tab, as they are. The
escaped form is plain printable ASCII, so escaping twice changes nothing. JSON output keeps
the exact text: `json_text` only makes JSON's own `\\uXXXX` escapes of the characters that
`json.dumps(ensure_ascii=False)` would let through raw.
"""

from __future__ import annotations

import re

# C0 but newline and tab, DEL and C1; the bidi and direction marks; the line and paragraph
# separators (a newline to some programs, invisible to others); the deprecated format
# controls and interlinear annotations; lone surrogates (undecodable bytes in a file name).
_UNSAFE_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e"
    "\u2066-\u206f\ufff9-\ufffb\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{_UNSAFE_CLASS}]")
_UNSAFE_IN_LINE = re.compile(f"[{_UNSAFE_CLASS}\n\t]")
# What json.dumps(ensure_ascii=False) leaves raw of the above (it escapes C0 itself).
_UNSAFE_IN_JSON = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u206f\ufff9-\ufffb"
    "\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _spelled(match: re.Match) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named:
        return named
    code = ord(char)
    if code <= 0x9F:
        return f"\\x{code:02x}"
    if 0xDC80 <= code <= 0xDCFF:  # a byte Python could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` with every control, bidi and invisible-direction character spelled out;
    newlines and tabs are kept. Cheap when there is nothing to escape."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_spelled, text)


def one_line(text: str) -> str:
    """Like `visible`, and newlines and tabs spelled out too: for a table cell or a
    one-line message, where they would break the layout."""
    if _UNSAFE_IN_LINE.search(text) is None:
        return text
    return _UNSAFE_IN_LINE.sub(_spelled, text)


def _json_escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(document_text: str) -> str:
    """JSON text from `json.dumps(..., ensure_ascii=False)` with DEL, C1, bidi controls and
    lone surrogates written as JSON `\\uXXXX` escapes: the same document to a parser, nothing
    a terminal acts on. (Those characters only occur inside JSON strings.)"""
    if _UNSAFE_IN_JSON.search(document_text) is None:
        return document_text
    return _UNSAFE_IN_JSON.sub(_json_escape, document_text)
