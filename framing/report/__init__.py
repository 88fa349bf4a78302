"""Turning an ``AnalysisResult`` into files: tables, charts, and the one writer."""
