"""Rendering, pure: an ``AnalysisResult`` to bytes (CSV tables, charts, the HTML page); ``framing.outputs`` writes them."""
