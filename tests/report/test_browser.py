"""report.html (and the classroom worksheet) in a real browser: Debian's Chromium through Playwright.

One ``framing analyze seeds`` run and one headless Chromium serve the whole
module. Each page is opened from disk with every request that leaves the disk
aborted and recorded (tests/report/browser.py). Screenshots (and a PDF) are kept
under pytest's base temp folder and copied to ``reports/screenshots/``.

Skipped only where Chromium (or Playwright) is missing and CI is not set;
under CI=true a missing browser fails. ``.ci/run`` installs it with apt.

The DOM contract of the highlighted texts, which the contract tests check:

* each shown article is ``<section class="article" data-article="<article id>">``;
* each ``<mark>`` carries ``data-ends="<n>"``, the number of matches that end
  in it (absent means 0), so the marks of an article add up to its rows in
  ``matches.csv``, and classes ``k<M>`` for every category that covers it;
* each highlighted category has one ``<input type="checkbox" class="toggle"
  data-k="<M>">``, checked at first; unchecking it leaves a transparent
  background on every mark whose categories are all unchecked.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from framing.cli import main

from ..conftest import ROOT
from .browser import (
    BACKGROUNDS,
    CUT_OFF,
    DESKTOP,
    ENDS_PER_ARTICLE,
    MARK_STATE,
    PHONE,
    PRINT_WIDTH,
    SIDEWAYS,
    SQUEEZED,
    TRANSPARENT,
    Screenshots,
    launch,
    require_browser,
    visit,
    wait_until_clean,
)

pytestmark = pytest.mark.browser

SEEDS = ROOT / "seeds"

# Until the page has the contract these fail on an assert (no section.article, no
# toggle); anything else (a missing browser under CI, a timeout) still fails.


# ------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def browser():
    require_browser()
    with launch() as b:
        yield b


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("browser-report")
    assert main(["analyze", str(SEEDS), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Screenshots:
    return Screenshots(tmp_path_factory.getbasetemp() / "screenshots", ROOT / "reports" / "screenshots")


def _show(capsys, paths: list[Path]) -> None:
    with capsys.disabled():
        for path in paths:
            print(f"\n  kept: {path}", end="")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _clean(seen) -> None:
    problems = seen.problems()
    assert not problems, "the page is not clean offline:\n  " + "\n  ".join(problems)


def _not_cut_off(page, what: str) -> None:
    problems = page.evaluate(CUT_OFF)
    assert not problems, f"{what} cuts text off in print:\n  " + "\n  ".join(problems)


# ------------------------------------------------------------ report.html


def test_report_loads_offline_without_errors(browser, run, shots, capsys):
    with visit(browser, run / "report.html", viewport=DESKTOP) as seen:
        _show(capsys, shots.save(seen.page, "report-screen.png"))
        _clean(seen)
        broken = seen.page.evaluate(
            "() => Array.from(document.images).filter(i => !i.complete || !i.naturalWidth).map(i => i.alt)"
        )
        assert not broken, f"images that do not show: {broken}"
        assert seen.page.evaluate("document.images.length") > 0, "the charts are missing"


def test_marks_add_up_to_the_matches_of_each_article(browser, run):
    matches = Counter(row["article_id"] for row in _rows(run / "matches.csv"))
    articles = [row["article_id"] for row in _rows(run / "report.csv")]
    with visit(browser, run / "report.html", viewport=DESKTOP) as seen:
        found = seen.page.evaluate(ENDS_PER_ARTICLE)
    assert not found["bad"], f"data-ends that are not counts: {found['bad']}"
    sections = [aid for aid, _, _ in found["sections"]]
    # The seeds are 5 articles, fewer than --html-articles: every one is shown, once.
    assert sorted(sections) == sorted(articles), "one section.article[data-article] per article"
    assert {aid: ends for aid, ends, _ in found["sections"]} == {aid: matches[aid] for aid in articles}


def test_toggles_hide_their_categories_and_restore_them(browser, run):
    with visit(browser, run / "report.html", viewport=DESKTOP) as seen:
        page = seen.page
        toggles = page.locator("input.toggle[type=checkbox][data-k]")
        ks = [toggles.nth(i).get_attribute("data-k") for i in range(toggles.count())]
        assert ks, "the page has no <input type=checkbox class=toggle data-k=N>"
        assert len(set(ks)) == len(ks), f"one toggle per category, not {ks}"
        used = set(page.evaluate(
            "() => Array.from(document.querySelectorAll('mark'), m => Array.from(m.classList))"
            ".flat().filter(c => /^k[0-9]+$/.test(c)).map(c => c.slice(1))"
        ))
        assert used, "no mark has a k<N> class"
        assert used <= set(ks), f"categories with marks but no toggle: {sorted(used - set(ks), key=int)}"
        assert all(toggles.nth(i).is_checked() for i in range(len(ks))), "every toggle starts checked"
        before = page.evaluate(BACKGROUNDS)
        wait_until_clean(page, MARK_STATE, [None, TRANSPARENT], what="with every toggle checked")

        # One at a time: off hides what only it covers, on brings back exactly what was there.
        for i, k in enumerate(ks):
            toggles.nth(i).uncheck()
            wait_until_clean(page, MARK_STATE, [None, TRANSPARENT], what=f"after unchecking k{k}")
            toggles.nth(i).check()
            wait_until_clean(page, MARK_STATE, [before, TRANSPARENT], what=f"after checking k{k} again")

        # All of them in turn, so that marks of several categories are seen half unchecked.
        for i, k in enumerate(ks):
            toggles.nth(i).uncheck()
            wait_until_clean(page, MARK_STATE, [None, TRANSPARENT], what=f"with k{ks[0]}..k{k} unchecked")
        for i in range(len(ks)):
            toggles.nth(i).check()
        wait_until_clean(page, MARK_STATE, [before, TRANSPARENT], what="after checking every toggle again")
        _clean(seen)


def test_first_toggle_by_keyboard(browser, run):
    with visit(browser, run / "report.html", viewport=DESKTOP) as seen:
        page = seen.page
        first = "document.querySelector('input.toggle[type=checkbox][data-k]')"
        assert page.evaluate(f"!!{first}"), "the page has no toggle"
        before = page.evaluate(BACKGROUNDS)
        stops = page.evaluate(
            "document.querySelectorAll('a[href], input, button, select, textarea, summary, [tabindex]').length"
        )
        for _ in range(stops + 2):
            page.keyboard.press("Tab")
            if page.evaluate(f"document.activeElement === {first}"):
                break
        else:
            pytest.fail(f"{stops + 2} presses of Tab never reach the first toggle")
        page.keyboard.press("Space")
        page.wait_for_function(f"() => !{first}.checked", timeout=5_000)
        wait_until_clean(page, MARK_STATE, [None, TRANSPARENT], what="after Space on the first toggle")
        page.keyboard.press("Space")
        page.wait_for_function(f"() => {first}.checked", timeout=5_000)
        wait_until_clean(page, MARK_STATE, [before, TRANSPARENT], what="after Space again")
        _clean(seen)


def test_print_layout_cuts_nothing_off(browser, run, shots, capsys):
    with visit(browser, run / "report.html", media="print", viewport={"width": PRINT_WIDTH, "height": 1000}) as seen:
        paths = shots.save(seen.page, "report-print.png")
        paths += shots.save_pdf(seen.page, "report.pdf")
        _show(capsys, paths)
        _not_cut_off(seen.page, "report.html")
        _clean(seen)


def test_phone_width_does_not_scroll_sideways(browser, run, shots, capsys):
    with visit(browser, run / "report.html", viewport=PHONE, is_mobile=True, has_touch=True) as seen:
        _show(capsys, shots.save(seen.page, "report-phone.png"))
        problems = seen.page.evaluate(SIDEWAYS)
        assert not problems, "at 390 px the page scrolls sideways:\n  " + "\n  ".join(problems)
        _clean(seen)


def test_phone_width_breaks_no_word_into_letters(browser, run):
    with visit(browser, run / "report.html", viewport=PHONE, is_mobile=True, has_touch=True) as seen:
        problems = seen.page.evaluate(SQUEEZED)
    assert not problems, "at 390 px text is squeezed into columns of a few letters:\n  " + "\n  ".join(problems)


# ------------------------------------------------------------ the worksheet


def _has_command(name: str) -> bool:
    from framing.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    return name in sub.choices


@pytest.fixture(scope="module")
def worksheet(browser, tmp_path_factory) -> Path:
    if not _has_command("worksheet"):
        pytest.skip("framing has no 'worksheet' command on this branch (framing/cli/worksheet.py)")
    out = tmp_path_factory.mktemp("browser-worksheet")
    assert main(["worksheet", str(SEEDS), "--out", str(out)]) == 0
    return out


def _outlets() -> list[str]:
    return sorted({row["outlet"].strip() for row in _rows(SEEDS / "manifest.csv") if row["outlet"].strip()})


def _name_pattern(name: str) -> re.Pattern:
    words = r"\s+".join(re.escape(w) for w in name.split())
    # An acronym (RT) is matched as written, so that "rt" inside CSS or prose is not one.
    flags = 0 if name.isupper() and len(name) <= 4 else re.IGNORECASE
    return re.compile(rf"(?<!\w){words}(?!\w)", flags)


@pytest.mark.parametrize("name", ["worksheet.html", "answer_key.html"])
def test_worksheet_loads_offline_and_prints_whole(browser, worksheet, shots, capsys, name):
    path = worksheet / name
    assert path.is_file(), f"framing worksheet wrote no {name}"
    with visit(browser, path, viewport=DESKTOP) as seen:
        _clean(seen)
    with visit(browser, path, media="print", viewport={"width": PRINT_WIDTH, "height": 1000}) as seen:
        _show(capsys, shots.save(seen.page, name.replace(".html", "-print.png")))
        _not_cut_off(seen.page, name)
        _clean(seen)


def test_worksheet_names_no_outlet(browser, worksheet):
    with visit(browser, worksheet / "worksheet.html", viewport=DESKTOP) as seen:
        # What a student can read, hover or view in the source: text (title and
        # hidden elements included) and every attribute value.
        text = seen.page.evaluate(
            "() => [document.documentElement.textContent, ...Array.from(document.querySelectorAll('*'),"
            " el => Array.from(el.attributes, a => a.value).join('\\n'))].join('\\n')"
        )
    named = [name for name in _outlets() if _name_pattern(name).search(text)]
    assert not named, f"worksheet.html names outlets of the manifest: {named}"
