"""What every command shares: the one-line error parser and safe one-line messages."""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

__all__ = ["Parser", "one_line", "plural"]

# Control characters and line separators, which a file name may hold and
# which would break "one line per problem".
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def one_line(text: str) -> str:
    """``text`` on one line: control characters (and undecodable bytes of a file name) as escapes."""
    return _UNPRINTABLE.sub(lambda m: _escape(m.group()), text)


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte of a file name that is not UTF-8 (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    return repr(char)[1:-1]


def plural(n: int, word: str, many: str = "") -> str:
    """``1 warning``, ``2 warnings``, ``1 category``/``2 categories`` (with ``many``)."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {many or word + 's'}"


class Parser(argparse.ArgumentParser):
    """argparse, but its errors are one line and exit 2 like ours."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"error: {message} (see '{self.prog} --help')\n")
        raise SystemExit(2)
