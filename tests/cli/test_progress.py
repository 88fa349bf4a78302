"""Progress on stderr: a bar on a terminal, plain lines elsewhere, nothing with --quiet."""

from __future__ import annotations

import io

from framing.cli import main, progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_a_bar_with_rate_and_eta(monkeypatch):
    monkeypatch.setattr(progress, "BAR_EVERY", 0)  # draw every update
    stream = Terminal()
    bar = progress.progress_for(stream, quiet=False)
    for done in range(0, 1001, 100):
        bar("score", done, 1000)
    bar("write", 10, 10)
    bar.close()
    text = stream.getvalue()
    assert "reading and scoring" in text and "articles/s" in text and "1000/1000" in text
    assert "<" in text  # tqdm's "elapsed<remaining" (the ETA)
    assert "writing report.csv" in text


def test_elsewhere_one_line_per_stage_then_one_every_few_seconds(monkeypatch):
    clock = [0.0]
    monkeypatch.setattr(progress.time, "monotonic", lambda: clock[0])
    stream = io.StringIO()
    lines = progress.progress_for(stream, quiet=False)
    lines("score", 0, None)
    for done in range(1, 101):
        clock[0] += 0.125  # 12.5 seconds in all, in steps a float holds exactly
        lines("score", done * 10, 2000)
    lines("tf-idf", 0, 100)
    out = stream.getvalue().splitlines()
    assert out[0] == "reading and scoring..."
    assert out[-1] == "TF-IDF..."
    rates = out[1:-1]
    assert len(rates) == 2  # every LINE_EVERY (5) seconds, not every call
    assert rates[0] == "reading and scoring: 400/2,000 articles, 80 articles/s, about 20 s left"


def test_quiet_prints_nothing(tmp_path, capsys):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("Officials said talks went well.", encoding="utf-8")
    assert main(["analyze", str(tmp_path / "c"), "--out", str(tmp_path / "o"), "--no-charts", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
