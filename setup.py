"""Build hook; the project's metadata is all in pyproject.toml.

The built-in lexicons stay at the top of the repository (``lexicons/``), where
researchers edit them, instead of inside the package. ``build_py`` copies them
into the built package as ``framing/lexicons/`` so that a wheel carries them.
An editable install skips the copy (setuptools' build_py builds nothing in
editable mode), and ``framing.lexicon.builtin_lexicon_paths`` then reads the
checkout's ``lexicons/``, so an edit there takes effect without reinstalling.
"""

from __future__ import annotations

import os
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

# Relative to the project folder, which is the working directory of every
# setuptools build; the sdist carries these files through MANIFEST.in.
LEXICON_DIR = "lexicons"
LEXICON_FILES = ("*.yaml", "README.md")
REQUIRED = ("frames.yaml", "news_frames.yaml", "style.yaml", "labels.yaml")


class build_py_with_lexicons(build_py):
    def _lexicon_mapping(self) -> dict[str, str]:
        """Build path -> source path of each file copied from ``lexicons/``."""
        sources = sorted({p for pattern in LEXICON_FILES for p in Path(LEXICON_DIR).glob(pattern) if p.is_file()})
        target = os.path.join(self.build_lib, "framing", "lexicons")
        return {os.path.join(target, p.name): str(p) for p in sources}

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        mapping = self._lexicon_mapping()
        missing = [n for n in REQUIRED if not any(os.path.basename(o) == n for o in mapping)]
        if missing:
            # A wheel without them would install fine and fail on first use.
            raise FileNotFoundError(f"built-in lexicons missing from {LEXICON_DIR}/: {', '.join(missing)}")
        for out, src in mapping.items():
            self.mkpath(os.path.dirname(out))
            self.copy_file(src, out, preserve_mode=False)

    def get_outputs(self, include_bytecode: int = 1) -> list[str]:
        outputs = super().get_outputs(include_bytecode)
        return outputs + [o for o in self._lexicon_mapping() if o not in outputs]

    def get_output_mapping(self) -> dict[str, str]:
        # A strict editable install links these build paths to the sources,
        # so edits to lexicons/ show there too.
        return {**super().get_output_mapping(), **self._lexicon_mapping()}


setup(cmdclass={"build_py": build_py_with_lexicons})
