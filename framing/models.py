"""Moved to ``framing.model_file`` (the saved-classifier file).

A stand-in only until framing/pipeline.py and framing/dask.py, which import
``load_model`` from here inside functions, import it from
``framing.model_file``; then delete this file.
"""

from .model_file import FORMAT, FORMAT_VERSION, load_model, save_model

__all__ = ["FORMAT", "FORMAT_VERSION", "load_model", "save_model"]
