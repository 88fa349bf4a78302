"""Defects found in review, each pinned by the test that showed it."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import framing.api
from framing import read_corpus
from framing.cli import main
from framing.outputs import recover
from framing.outputs.commit import signals_held

from ..outputs.test_commit import LEXICON, make_corpus


@pytest.fixture
def other_thread():
    """A live thread created before the block, as numpy's BLAS pool would be:
    the kernel may hand a process signal to it instead of the main thread."""
    release = threading.Event()
    thread = threading.Thread(target=release.wait, daemon=True)
    thread.start()
    yield thread
    release.set()
    thread.join()


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_during_the_move_waits_for_it_even_with_other_threads(other_thread, signum):
    order, seen = [], []

    def on_term(n, frame):
        seen.append(("handler", list(order)))

    # Set here, since a run started in the background inherits SIGINT ignored.
    old = {signal.SIGINT: signal.signal(signal.SIGINT, signal.default_int_handler),
           signal.SIGTERM: signal.signal(signal.SIGTERM, on_term)}
    try:
        try:
            with signals_held():
                os.kill(os.getpid(), signum)
                time.sleep(0.05)  # time for the kernel to deliver it, to whichever thread
                order.append("moved every file")
        except KeyboardInterrupt:
            seen.append(("KeyboardInterrupt", list(order)))
        assert other_thread.is_alive()
        expected = "KeyboardInterrupt" if signum == signal.SIGINT else "handler"
        assert seen == [(expected, ["moved every file"])]
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.getsignal(signal.SIGTERM) is on_term
    finally:
        for n, handler in old.items():
            signal.signal(n, handler)


# --- a move that fails part-way is undone ------------------------------------

def _snapshot(out: Path) -> dict[str, bytes]:
    """Every file in ``out`` but staging folders, with its bytes."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and not p.relative_to(out).as_posix().startswith(".framing")
    }


@pytest.fixture
def old_report(tmp_path):
    """A report in ``out`` and the arguments of a run that would replace it."""
    lex = tmp_path / "lex.yaml"
    lex.write_text(LEXICON, encoding="utf-8")
    out = tmp_path / "out"
    common = ["--lexicon", str(lex), "--no-charts", "--quiet", "--out", str(out)]
    assert main(["analyze", str(make_corpus(tmp_path / "old", "talks")), *common]) == 0
    return out, ["analyze", str(make_corpus(tmp_path / "new", "agreed and said")), *common]


def _fail_on_call(monkeypatch, k: int) -> None:
    real, calls = os.replace, [0]

    def replace(src, dst):
        calls[0] += 1
        if calls[0] == k:
            raise OSError(errno.EIO, "Input/output error", src, None, dst)
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


# 1 places the COMMIT list; then two renames per file (keep the old, move in the new).
@pytest.mark.parametrize("k", [1, 2, 3, 4, 5, 8, 13])
def test_a_rename_that_fails_part_way_leaves_the_previous_report(old_report, monkeypatch, capsys, k):
    out, new_run = old_report
    before = _snapshot(out)
    _fail_on_call(monkeypatch, k)
    assert main(new_run) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: cannot ") and "Traceback" not in err
    monkeypatch.undo()
    assert _snapshot(out) == before
    assert not list(out.glob(".framing-staging-*"))
    assert recover(out) == []  # nothing left for a later run to roll forward


def test_a_folder_where_a_report_file_goes_leaves_the_previous_report(old_report, capsys):
    out, new_run = old_report
    (out / "summary.csv").unlink()
    (out / "summary.csv").mkdir()
    (out / "summary.csv" / "mine.txt").write_text("the user's file")
    before = _snapshot(out)
    assert main(new_run) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "summary.csv" in err and "the previous report is kept" in err
    assert _snapshot(out) == before
    assert not list(out.glob(".framing-staging-*"))


# Fails one rename of the move, then dies (like SIGKILL) while undoing it.
DIES_UNDOING = textwrap.dedent(
    """
    import errno, os, sys
    fail, die = int(sys.argv[1]), int(sys.argv[2])
    real, calls = os.replace, [0]
    def replace(src, dst):
        calls[0] += 1
        if calls[0] == fail:
            raise OSError(errno.EIO, "Input/output error", src, None, dst)
        if calls[0] == die:
            os._exit(9)
        real(src, dst)
    os.replace = replace
    from framing.cli import main
    main(sys.argv[3:])
    """
)


# A run killed just before COMMIT becomes ROLLBACK is finished instead: also whole.
@pytest.mark.slow  # a battery of random cases
@pytest.mark.parametrize("fail,die", [(6, 7), (6, 8), (6, 10), (13, 14), (13, 15), (13, 20)])
def test_a_run_killed_while_undoing_a_failed_move_is_undone_by_the_next(old_report, tmp_path, fail, die):
    out, new_run = old_report
    before = _snapshot(out)
    ref = tmp_path / "ref"
    assert main([*new_run, "--out", str(ref)]) == 0
    expected = before if die > fail + 1 else {**_snapshot(ref), "run.json": None}
    # The killed run cannot remove its spill: it goes in the test's folder, not the system's.
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    code = subprocess.run([sys.executable, "-c", DIES_UNDOING, str(fail), str(die), *new_run],
                          check=False, capture_output=True, text=True, timeout=300, env=env)
    assert code.returncode == 9, code.stderr
    assert len(recover(out)) == 1
    after = _snapshot(out)
    if expected is not before:
        after["run.json"] = None  # its timings differ
    assert after == expected
    assert not list(out.glob(".framing-staging-*"))


# --- a bad --out is refused before the analysis --------------------------------


@pytest.mark.parametrize("where", ["file", "inside a file", "deep inside a file", "dangling link"])
def test_an_unusable_out_is_refused_before_the_corpus_is_read(tmp_path, monkeypatch, capsys, where):
    corpus = make_corpus(tmp_path / "c", "talks")
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    out = {"file": blocker, "inside a file": blocker / "sub", "deep inside a file": blocker / "a" / "b",
           "dangling link": tmp_path / "link"}[where]
    if where == "dangling link":
        os.symlink(tmp_path / "nowhere", out)

    def no_analysis(*args, **kwargs):
        raise AssertionError("analysed before the output folder was checked")

    monkeypatch.setattr(framing.api, "analyze", no_analysis)
    assert main(["analyze", str(corpus), "--out", str(out), "--no-charts"]) == 2
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1 and captured.err.startswith("error: ")
    assert "folder" in captured.err and captured.out == ""
    assert blocker.read_text() == "a file, not a folder"


def test_a_new_out_below_a_new_folder_is_still_created(tmp_path):
    corpus = make_corpus(tmp_path / "c", "talks")
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "new" / "deeper"), "--no-charts", "--quiet"]) == 0
    assert (tmp_path / "new" / "deeper" / "report.csv").is_file()


# --- the manifest warning says what is kept ------------------------------------


def test_a_record_without_a_manifest_row_keeps_its_own_source_type_and_says_so(tmp_path, capsys):
    table = tmp_path / "t.jsonl"
    table.write_text(json.dumps({"id": "r1", "text": "Officials said talks.", "source_type": "Wire", "outlet": "AP"})
                     + "\n" + json.dumps({"id": "r2", "text": "Officials agreed."}) + "\n", encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text("id,outlet,source_type\nother,TASS,state_media\n", encoding="utf-8")
    out = tmp_path / "o"
    assert main(["analyze", str(table), "--manifest", str(manifest), "--out", str(out), "--no-charts"]) == 0
    err = capsys.readouterr().err
    assert f"warning: {table}:1: no row in the manifest; keeping the record's own source_type 'wire'\n" in err
    assert f"warning: {table}:2: no row in the manifest; source_type 'unknown'\n" in err
    rows = {r["article_id"]: r for r in csv.DictReader(io.StringIO((out / "report.csv").read_text("utf-8")))}
    assert (rows["r1"]["source_type"], rows["r1"]["outlet"]) == ("wire", "AP")
    assert rows["r2"]["source_type"] == "unknown"


# --- --quiet is quiet; counts agree with their nouns ---------------------------


def test_quiet_prints_nothing_on_success_and_keeps_the_warnings_in_run_json(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", "talks")
    (corpus / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    out = tmp_path / "o"
    assert main(["analyze", str(corpus), "--out", str(out), "--no-charts", "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    record = json.loads((out / "run.json").read_text("utf-8"))
    assert len(record["warnings"]) == 1 and "bin.txt: binary file" in record["warnings"][0]


def test_counts_in_messages_are_singular_for_one(tmp_path, capsys):
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "a.txt").write_text("Officials said talks.", encoding="utf-8")
    (tmp_path / "c" / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    lex = tmp_path / "lex.yaml"
    lex.write_text(LEXICON, encoding="utf-8")
    assert main(["analyze", str(tmp_path / "c"), "--lexicon", str(lex), "--out", str(tmp_path / "o"), "--no-charts"]) == 0
    captured = capsys.readouterr()
    assert "(s)" not in captured.err
    assert captured.out == f"wrote 12 files to {tmp_path / 'o'} (1 article, 1 skipped, 1 warning)\n"
    summary = (tmp_path / "o" / "summary.csv").read_text("utf-8")
    assert "only 1 article:" in summary and "(s)" not in summary
    assert "1 sentence</dd>" in (tmp_path / "o" / "report.html").read_text("utf-8")

    bad = tmp_path / "bad.csv"
    bad.write_text("category,term,weight\nonly-one-cell\n", encoding="utf-8")
    assert main(["lexicon", "check", str(bad)]) == 2
    captured = capsys.readouterr()
    assert "row has 1 cell;" in captured.out
    assert captured.err == "error: 1 error in 1 lexicon file\n"
    assert main(["lexicon", "check", str(bad), str(bad)]) == 2
    assert capsys.readouterr().err == "error: 2 errors in 2 lexicon files\n"


def test_counts_in_reader_warnings_are_singular_for_one(tmp_path):
    table = tmp_path / "t.jsonl"
    table.write_bytes(json.dumps({"id": "a", "text": "plain"}).encode() + b"\n"
                      + json.dumps({"id": "b", "text": "caf\u00e9"}, ensure_ascii=False).encode("cp1252") + b"\n")
    manifest = tmp_path / "m.csv"
    manifest.write_text("id,outlet,source_type\na,AP,wire,extra\n", encoding="utf-8")
    warnings = read_corpus([table], manifest=manifest).warnings
    joined = "\n".join(warnings)
    assert "t.jsonl: 1 line not UTF-8 (first: line 2)" in joined
    assert "m.csv:2: 1 more cell than the header has" in joined
    assert "(s)" not in joined


# --- odd input: no traceback, nothing vanishes ----------------------------------

_ODD = ["", " ", "\t\n ", "\u2028", "\u2029", "\u0085", "\ufeff", "\ufeff said", "\ud800", "said \udfff talks",
        "a\x00b", "\r", "\r\n", "\x0b\x0c", "\u200b", "\U0001f600", "said\u2028talks", "\ud83d\ude00"]
_TEXT = st.one_of(
    st.sampled_from(_ODD),
    st.text(alphabet=st.characters(blacklist_categories=()), max_size=30),
    st.none(), st.integers(), st.lists(st.text(max_size=3), max_size=2),
)


def _run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        status = main(argv)
    except SystemExit as exc:  # argparse's own refusals
        status = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.tuples(_TEXT, st.booleans(), st.booleans(), _TEXT), min_size=1, max_size=8))
def test_every_jsonl_record_is_a_report_row_or_one_warning(texts, capsys):
    with tempfile.TemporaryDirectory() as tmp:
        table, out, lex = Path(tmp) / "t.jsonl", Path(tmp) / "o", Path(tmp) / "lex.yaml"
        lex.write_text(LEXICON, encoding="utf-8")
        lines = []
        for i, (text, ascii_only, with_key, title) in enumerate(texts):
            rec = {"id": f"r{i}", "text": text} if with_key or text is not None else {"id": f"r{i}"}
            rec["title"] = title
            line = json.dumps(rec, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
            # A raw NUL byte (invalid JSON) must cost its own record only.
            lines.append(line if ascii_only else line.replace(b"\\u0000", b"\x00"))
        lines.append(json.dumps({"id": "last", "text": "Officials said."}).encode())
        table.write_bytes(b"\n".join(lines) + b"\n")
        status, _, err = _run(["analyze", str(table), "--lexicon", str(lex), "--out", str(out), "--no-charts",
                               "--quiet"], capsys)
        assert (status, err) == (0, "")
        record = json.loads((out / "run.json").read_text("utf-8"))
        ids = [row["article_id"] for row in csv.DictReader(io.StringIO((out / "report.csv").read_text("utf-8")))]
        skipped = 0
        for n in range(1, len(texts) + 1):
            naming = [w for w in record["warnings"] if w.startswith(f"{table}:{n}:")]
            if f"r{n - 1}" in ids:
                continue
            skipped += 1
            assert len(naming) == 1, (n, texts[n - 1], record["warnings"])
        assert record["articles_skipped"] == skipped
        assert len(ids) == len(texts) + 1 - skipped


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(st.one_of(st.sampled_from(_ODD), st.text(alphabet=st.characters(blacklist_categories=()),
                                                               max_size=30)), min_size=1, max_size=8))
@pytest.mark.slow
def test_every_csv_row_is_a_report_row_or_one_warning(texts, capsys):
    # Python 3.10's csv module cannot write a NUL, so this test cannot make such a table there.
    assume(sys.version_info >= (3, 11) or not any("\x00" in t for t in texts))
    with tempfile.TemporaryDirectory() as tmp:
        table, out, lex = Path(tmp) / "t.csv", Path(tmp) / "o", Path(tmp) / "lex.yaml"
        lex.write_text(LEXICON, encoding="utf-8")
        buf = io.StringIO(newline="")
        writer = csv.writer(buf)
        writer.writerow(["id", "text"])
        starts = []  # the line each row begins on; a quoted line break spans several
        for i, text in enumerate(texts):
            starts.append(len(re.findall("\r\n?|\n", buf.getvalue())) + 1)
            writer.writerow([f"r{i}", text])
        starts.append(len(re.findall("\r\n?|\n", buf.getvalue())) + 1)
        writer.writerow(["last", "Officials said."])
        table.write_bytes(buf.getvalue().encode("utf-8", "surrogatepass"))
        status, _, err = _run(["analyze", str(table), "--lexicon", str(lex), "--out", str(out), "--no-charts",
                               "--quiet"], capsys)
        assert (status, err) == (0, "")
        record = json.loads((out / "run.json").read_text("utf-8"))
        ids = [row["article_id"] for row in csv.DictReader(io.StringIO((out / "report.csv").read_text("utf-8")))]
        missing = [i for i in range(len(texts)) if f"r{i}" not in ids]
        for i in missing:
            lines = range(starts[i], starts[i + 1])
            naming = [w for w in record["warnings"] if any(w.startswith(f"{table}:{n}:") for n in lines)]
            assert len(naming) == 1, (texts[i], record["warnings"])
        assert record["articles_skipped"] == len(missing), (texts, record["warnings"])
        assert len(ids) == len(texts) + 1 - len(missing), (texts, ids, record["warnings"])


def test_links_to_themselves_and_link_loops_are_skipped_and_named(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", "talks")
    os.symlink("self.txt", corpus / "self.txt")
    os.symlink("b.txt", corpus / "a.txt")
    os.symlink("a.txt", corpus / "b.txt")
    (corpus / "manifest.csv").write_text("file,outlet,source_type\nself.txt,AP,wire\na0.txt,AP,wire\n", "utf-8")
    out = tmp_path / "o"
    status, stdout, err = _run(["analyze", str(corpus), "--out", str(out), "--no-charts"], capsys)
    assert status == 0
    for name in ("self.txt", "a.txt", "b.txt"):
        assert err.count(f"warning: {corpus / name}: a link loop") == 1
    assert "manifest.csv:2: no article for 'self.txt'" in err  # not "leaves the corpus folder"
    assert "(3 articles, 3 skipped," in stdout
    record = json.loads((out / "run.json").read_text("utf-8"))
    assert record["articles_skipped"] == 3 and record["articles_read"] == 3


def test_a_file_name_that_is_not_utf8_is_shown_escaped_everywhere(tmp_path, capsys):
    corpus = make_corpus(tmp_path / "c", "talks")
    for name, data in ((b"bad\xff.txt", b"Officials agreed."), (b"bin\xfe.txt", b"\x00\x01binary")):
        fd = os.open(os.path.join(os.fsencode(corpus), name), os.O_WRONLY | os.O_CREAT, 0o644)
        os.write(fd, data)
        os.close(fd)
    table = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"t\xfd.jsonl"))
    Path(table).write_text(json.dumps({"text": "Officials said."}) + "\n", encoding="utf-8")
    out = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"out\xfc"))
    status, stdout, err = _run(["analyze", str(corpus), table, "--out", out], capsys)
    assert status == 0
    assert f"warning: {corpus}/bin\\xfe.txt: binary file" in err
    assert stdout.startswith(f"wrote 24 files to {tmp_path}/out\\xfc (")
    ids = [row["article_id"] for row in csv.DictReader(io.StringIO((Path(out) / "report.csv").read_text("utf-8")))]
    assert "bad\\xff.txt" in ids and "t\\xfd.jsonl:1" in ids
    record = json.loads((Path(out) / "run.json").read_text("utf-8"))
    assert any("bin\\xfe.txt: binary file" in w for w in record["warnings"])
    assert record["argv"][2] == table  # argv as given, read back the same
    assert "bad\\xff.txt" in (Path(out) / "report.html").read_text("utf-8")
    status, _, err = _run(["analyze", os.fsdecode(b"missing\xff"), "--out", out, "--quiet"], capsys)
    assert (status, err) == (2, "error: corpus not found: missing\\xff\n")


def test_lexicon_without_an_action_is_one_line(capsys):
    status, out, err = _run(["lexicon"], capsys)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "ACTION" in err


def test_a_nul_in_a_title_or_id_is_written_as_a_replacement_character(tmp_path, capsys):
    table = tmp_path / "t.jsonl"
    table.write_text(json.dumps({"id": "a\u0000b", "title": "T\u0000", "text": "Officials said talks."}) + "\n",
                     encoding="utf-8")
    status, _, err = _run(["analyze", str(table), "--out", str(tmp_path / "o"), "--no-charts", "--quiet"], capsys)
    assert (status, err) == (0, "")
    row = next(csv.DictReader(io.StringIO((tmp_path / "o" / "report.csv").read_text("utf-8"))))
    assert (row["article_id"], row["title"]) == ("a\ufffdb", "T\ufffd")
