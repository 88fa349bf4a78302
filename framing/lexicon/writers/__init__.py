"""Lexicon writers: a ``Lexicon`` in, the text of a file out (the readers are in ``formats``).

YAML holds everything the model holds. The other formats hold less, and
``write_lexicon_text`` says what was left out, one plain message per kind of
loss, so that ``framing lexicon convert`` can show it::

    .dic has no weights: 3 weighted terms written unweighted

What each format holds:

======================  ====  ====  =====  ===  ====  ====  ====  ====  ====
                        YAML  .dic  .dicx  CSV  .cat  .lc3  .ykd  .txt  JSON
======================  ====  ====  =====  ===  ====  ====  ====  ====  ====
metadata (name, ...)    yes   no    no     no   no    no    name  no    no
labels                  yes   yes   no     no   (1)   (1)   (1)   (1)   (1)
descriptions            yes   no    no     no   no    no    no    no    no
weights                 yes   no    yes    yes  yes   no    no    yes   yes
nesting                 yes   yes   yes    yes  yes   yes   yes   yes   yes
exclusions              yes   no    no     yes  no    no    no    no    no
negation                yes   no    no     no   no    no    no    no    no
other keys (referent)   yes   no    no     no   no    no    no    no    no
======================  ====  ====  =====  ===  ====  ====  ====  ====  ====

(1) These formats name a category by one string, which gives the reader
both its id and its label: a label is written (``name_as_written``) when it
gives back the id (``POSITIVE_AFFECT`` for ``positive_affect``), the id
otherwise.

Nesting: ``.dic`` indents a child's header line by one tab more than its
parent's (as LIWC2015 does), ``.cat`` a child's line; ``.ykd`` and JSON
nest elements and objects; ``.dicx``, CSV, ``.lc3`` and ``.txt`` name a
child by its path, ``parent/child``. LIWC counts every category on its own, so ``.dic`` and
``.dicx`` also list a child's terms under each of its ancestors; their
readers keep such a term in the child only, as framing rolls children up
itself. Output is deterministic: the same lexicon gives the same text.

One module per format (``yaml_lexicon``, ``liwc_dic``, ``liwc_dicx``,
``csv_lexicon``, ``wordstat``, ``lexicoder``, ``yoshikoder``, ``nrc``,
``json_lexicon``), named as its reader in ``framing.lexicon.formats``;
``common`` holds what writers share (``tree_order``: each parent followed by
its descendants; ``rolled_up``: LIWC's categories with their descendants'
terms; ``number``: a weight as the shortest text that reads back; ``leaf``;
``csv_text``), and ``losses`` what each format cannot hold.

How to add a format: write ``writers/<format>.py`` with one public
``to_<format>(lexicon) -> str``, pure and deterministic (the same lexicon
gives the same text; walk the categories with ``common.tree_order`` so that a
parent precedes its children). Register it in ``WRITERS`` below as
``suffix: (name in messages, writer)`` (``WRITER_SUFFIXES`` follows it, and
with it ``framing lexicon convert``, whose help names the formats in words
in ``framing/cli/convert.py``: add it there too). Say what the format cannot
hold in ``losses.format_losses``, one message per kind of loss with its
count (use ``framing.english.plural``), and add its column to the table
above. The
format needs a reader too (``framing.lexicon.formats``): what is written
must read back as the same lexicon, less what the losses name. Tests:
``tests/lexicon/test_formats.py`` (the round trip of ``full_lexicon()`` and of the
hypothesis lexicons, each loss message, the conversion of the built-in
lexicons; the published formats in ``tests/lexicon/test_formats_published.py``),
and the tables of what each format holds in ``lexicons/README.md`` and
``docs/formats.md``.
"""

from __future__ import annotations

from collections.abc import Callable

from ...errors import InputError
from ..model import Lexicon
from .csv_lexicon import to_csv
from .json_lexicon import to_json
from .lexicoder import to_lexicoder
from .liwc_dic import to_dic
from .liwc_dicx import to_dicx
from .losses import format_losses
from .nrc import to_nrc
from .quanteda_yaml import quanteda_clash, to_quanteda_yaml
from .wordstat import to_wordstat
from .yaml_lexicon import to_yaml
from .yoshikoder import to_yoshikoder

__all__ = ["WRITERS", "WRITER_SUFFIXES", "to_csv", "to_dic", "to_dicx", "to_json", "to_lexicoder", "to_nrc",
           "to_wordstat", "to_yaml", "to_yoshikoder", "write_lexicon_text"]

# Suffix -> (the format's name in messages, its writer), in the order messages list the formats.
WRITERS: dict[str, tuple[str, Callable[[Lexicon], str]]] = {
    ".yaml": ("YAML", to_yaml),
    ".yml": ("YAML", to_yaml),
    ".dic": (".dic", to_dic),
    ".dicx": (".dicx", to_dicx),
    ".csv": ("CSV", to_csv),
    ".cat": (".cat", to_wordstat),
    ".lc3": (".lc3", to_lexicoder),
    ".ykd": (".ykd", to_yoshikoder),
    ".txt": (".txt", to_nrc),
    ".json": ("JSON", to_json),
}
WRITER_SUFFIXES = tuple(WRITERS)


def write_lexicon_text(lexicon: Lexicon, suffix: str, *, quanteda: bool = False) -> tuple[str, list[str]]:
    """The text of ``lexicon`` in the format of ``suffix``, and what that format could not hold.

    Each message names one kind of loss with its count (empty for YAML,
    which holds everything). ``quanteda``: with ``.yaml``/``.yml``, write
    quanteda's YAML (``category: [terms]``, as Newsmap's dictionaries) instead
    of framing's; a lexicon whose names would clash in that layout is an
    ``InputError``. Raises ``InputError`` for an unknown suffix.
    """
    found = WRITERS.get(suffix.lower())
    if found is None:
        raise InputError(f"cannot write a lexicon as {suffix or 'a file without extension'!r}; "
                         f"use one of {', '.join(WRITER_SUFFIXES)}")
    fmt, writer = found
    if quanteda:
        if fmt != "YAML":
            raise InputError(f"quanteda's layout is a YAML one; {suffix!r} is not .yaml or .yml", argument="quanteda")
        if quanteda_clash(lexicon):
            raise InputError("this lexicon cannot be written in quanteda's YAML: a top-level category is named "
                             "'categories', or a term and a subcategory (or two categories) of one category share "
                             "a name; write framing's YAML", argument="quanteda")
        return to_quanteda_yaml(lexicon), format_losses(lexicon, "quanteda YAML")
    return writer(lexicon), ([] if fmt == "YAML" else format_losses(lexicon, fmt))
