"""``framing cache info`` and ``framing cache clear``: where the token cache is, what it holds, and emptying it."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..english import plural

if TYPE_CHECKING:
    from ..engine.token_cache import TokenCache

__all__ = ["register"]


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``cache`` command family to the top-level parser."""
    from .common import Parser

    ca = sub.add_parser("cache", help="where the token cache is, what it holds; clear it",
                        description="The token cache keeps each chunk's tokens (words, offsets, sentences) so that "
                        "analyze, lexicon stats, lexicon diff, lexicon suggest and kwic on a corpus they have read before tokenize "
                        "nothing; the outputs are the same. FRAMING_CACHE_DIR moves it; --no-cache leaves it alone "
                        "for one run.")
    csub = ca.add_subparsers(dest="cache_command", metavar="ACTION", parser_class=Parser)
    ca.set_defaults(handler=_info)  # framing cache: the same as framing cache info
    info = csub.add_parser("info", help="print the cache's folder, entries and size",
                           description="Print the token cache's folder, its entries and their size, and its limit.")
    info.set_defaults(handler=_info)
    clear = csub.add_parser("clear", help="remove every entry of the cache",
                            description="Remove every entry of the token cache (the next run tokenizes again).")
    clear.set_defaults(handler=_clear)


def _cache() -> TokenCache:
    from ..engine.token_cache import TokenCache, cache_dir

    return TokenCache(cache_dir())


def _info(args: argparse.Namespace, argv: list[str]) -> int:
    cache = _cache()
    entries = cache.entries()
    print(f"token cache: {cache.folder}")
    print(f"{plural(len(entries), 'entry', 'entries')}, {cache.size() / 1e6:,.1f} MB "
          f"(limit {cache.limit / 1e6:,.0f} MB; set FRAMING_CACHE_DIR to move it)")
    return 0


def _clear(args: argparse.Namespace, argv: list[str]) -> int:
    cache = _cache()
    removed = cache.clear()
    print(f"removed {plural(removed, 'entry', 'entries')} from {cache.folder}")
    return 0
