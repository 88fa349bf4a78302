"""Helpers for tests/report/test_browser.py: the system Chromium, driven by Playwright.

Playwright's own browser download is never used (``playwright install`` needs
the network); the tests drive Debian's ``chromium`` at ``/usr/bin/chromium``
(or ``$FRAMING_CHROMIUM``), which ``.ci/run`` installs with apt.

Every page is opened from disk (``file://``) in a fresh browser context whose
requests are routed: ``file:`` and ``data:`` go through, anything else is
aborted and recorded, as are console errors and uncaught exceptions, so a
test can assert that a page works offline and says nothing is wrong.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("FRAMING_CHROMIUM", "/usr/bin/chromium"))

# Playwright adds --headless and a fresh user data dir itself.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# A4 (210 mm at 96 px/in) less Chromium's default print margins of about 1 cm each.
PRINT_WIDTH = 718
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

# How long a condition may take to become true (a script, a style recalculation).
WAIT_MS = 5_000


def in_ci() -> bool:
    """CI sets CI=true; there a missing browser is a failure, not a skip."""
    return bool(os.environ.get("CI"))


def unavailable() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"Chromium is not installed at {CHROMIUM} (apt-get install chromium chromium-driver)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    return None


def require_browser() -> None:
    """Skip (or, under CI, fail) when Chromium or Playwright is missing."""
    reason = unavailable()
    if reason:
        (pytest.fail if in_ci() else pytest.skip)(reason)


@contextlib.contextmanager
def launch() -> Iterator[object]:
    """One headless Chromium for a whole test module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """One page opened from disk, and everything it tried that it should not have."""

    page: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return (
            [f"console error: {m}" for m in self.console_errors]
            + [f"uncaught exception: {m}" for m in self.page_errors]
            + [f"network request: {u}" for u in self.network]
        )


def _local(url: str) -> bool:
    return url.startswith(("file:", "data:", "about:blank"))


@contextlib.contextmanager
def visit(browser, path: Path, *, media: str = "screen", **context_options) -> Iterator[Visit]:
    """Open ``path`` (``file://``) in a new context with the network blocked; close it after."""
    context = browser.new_context(service_workers="block", **context_options)
    try:
        page = context.new_page()
        seen = Visit(page)

        # Routing aborts every request that leaves the disk; the request event
        # records each attempt (aborted ones too). What the page's CSP refuses
        # never becomes a request: Chromium reports it as a console error.
        context.route("**/*", lambda r: r.continue_() if _local(r.request.url) else r.abort())
        if hasattr(context, "route_web_socket"):  # Playwright 1.48+: WebSockets are closed unconnected
            context.route_web_socket("**/*", lambda ws: (seen.network.append(ws.url), ws.close()))
        page.on("request", lambda req: None if _local(req.url) else seen.network.append(req.url))
        page.on("websocket", lambda ws: None if ws.url in seen.network else seen.network.append(ws.url))
        page.on("console", lambda msg: seen.console_errors.append(_console_line(msg))
                if msg.type == "error" else None)
        page.on("pageerror", lambda exc: seen.page_errors.append(str(exc)))
        page.emulate_media(media=media)
        page.goto(path.resolve().as_uri(), wait_until="load")
        yield seen
    finally:
        context.close()


def _console_line(msg) -> str:
    where = msg.location or {}
    at = f" ({where.get('url', '')}:{where.get('lineNumber', '')})" if where.get("url") else ""
    return f"{msg.text}{at}"


class Screenshots:
    """Screenshots kept after the run: under pytest's base temp folder and in reports/screenshots/."""

    def __init__(self, first: Path, second: Path) -> None:
        self.folders = [first, second]

    def save(self, page, name: str, *, full_page: bool = True) -> list[Path]:
        paths = []
        for i, folder in enumerate(self.folders):
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / name
            if i == 0:
                page.screenshot(path=str(path), full_page=full_page)
            else:
                shutil.copyfile(paths[0], path)
            paths.append(path)
        return paths

    def save_pdf(self, page, name: str) -> list[Path]:
        """The page as Chromium prints it (A4, print media), beside the screenshots."""
        first = self.folders[0] / name
        first.parent.mkdir(parents=True, exist_ok=True)
        margin = f"{(210 - PRINT_WIDTH / 96 * 25.4) / 2:.2f}mm"  # the same text width as PRINT_WIDTH
        page.pdf(path=str(first), format="A4", print_background=True,
                 margin={"top": margin, "bottom": margin, "left": margin, "right": margin})
        paths = [first]
        for folder in self.folders[1:]:
            folder.mkdir(parents=True, exist_ok=True)
            paths.append(Path(shutil.copyfile(first, folder / name)))
        return paths


# ------------------------------------------------------------ in-page checks
# Each returns a list of problems (short descriptions of the elements), empty when all is well.

DESCRIBE = """
const describe = el => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\\s+/).join('.');
  if (el.alt) s += `[alt="${el.alt.slice(0, 40)}"]`;
  const text = (el.textContent || '').replace(/\\s+/g, ' ').trim().slice(0, 60);
  return text ? `${s} "${text}"` : s;
};
"""

# Printed paper cannot scroll: nothing may stick out of the page, no box that
# clips (overflow other than visible) may hold more than it shows, and no
# paragraph may be wider than its box.
CUT_OFF = """() => {
""" + DESCRIBE + """
  const page = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > page + 1)
    out.push(`the document is ${document.documentElement.scrollWidth}px wide on a ${page}px page`);
  // Each problem once, at the outermost element that has it.
  const reported = new Set();
  const under = el => { for (let a = el.parentElement; a; a = a.parentElement) if (reported.has(a)) return true; return false; };
  for (const el of document.querySelectorAll('body, body *')) {
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.display === 'contents') continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (under(el)) continue;
    const problems = [];
    if (r.right > page + 1 || r.left < -1)
      problems.push(`spans x ${Math.round(r.left)}..${Math.round(r.right)} on a ${page}px page`);
    const clipsX = cs.overflowX !== 'visible', clipsY = cs.overflowY !== 'visible';
    if ((clipsX || el.tagName === 'P') && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1)
      problems.push(`holds ${el.scrollWidth}px of content in ${el.clientWidth}px (overflow-x ${cs.overflowX})`);
    if (clipsY && el.clientHeight > 1 && el.scrollHeight > el.clientHeight + 1)
      problems.push(`holds ${el.scrollHeight}px of content in ${el.clientHeight}px high (overflow-y ${cs.overflowY})`);
    if (problems.length) { reported.add(el); out.push(`${describe(el)} ${problems.join('; ')}`); }
  }
  return out.slice(0, 25);
}"""

# On a phone the body must not scroll sideways. Elements inside a box that
# scrolls or clips on its own (a wide table in .wrap) are fine; the culprits
# are those wider than the viewport with no such box around them.
SIDEWAYS = """() => {
""" + DESCRIBE + """
  const root = document.documentElement;
  const width = root.clientWidth;
  window.scrollTo(100000, 0);
  const scrolled = window.scrollX;
  window.scrollTo(0, 0);
  const out = [];
  if (root.scrollWidth > width + 1 || scrolled > 1)
    out.push(`the page is ${root.scrollWidth}px wide in a ${width}px viewport (scrolls sideways by ${scrolled}px)`);
  if (out.length) {
    const contained = el => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      return false;
    };
    for (const el of document.querySelectorAll('body *')) {
      const r = el.getBoundingClientRect();
      if ((r.right > width + 1 || r.left < -1) && !contained(el)) out.push(`${describe(el)} spans x ${Math.round(r.left)}..${Math.round(r.right)}`);
      if (out.length > 25) break;
    }
  }
  return out;
}"""

# A box squeezed to a column of a few letters breaks every word of its text
# into pieces (a table at phone width, each cell allowed to break anywhere):
# no element holding text may be narrower than six average letters (0.6 em
# each), or than its longest word if that is shorter.
SQUEEZED = """() => {
""" + DESCRIBE + """
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.data).join(' ').trim();
    if (!own) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'none' || cs.display.startsWith('inline') || cs.visibility === 'hidden') continue;
    const longest = Math.max(...own.split(/\\s+/).map(w => w.length));
    const em = parseFloat(cs.fontSize);
    const inner = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const need = Math.min(longest, 6) * 0.6 * em;
    if (el.clientWidth > 0 && inner + 0.5 < need)
      out.push(`${describe(el)} is ${Math.round(inner)}px wide for words of up to ${longest} letters (${Math.round(need)}px)`);
    if (out.length >= 25) break;
  }
  return out;
}"""

# The DOM contract of the highlighted texts (see test_browser.py).
ENDS_PER_ARTICLE = """() => {
  const out = {sections: [], bad: []};
  for (const s of document.querySelectorAll('section.article[data-article]')) {
    let sum = 0;
    for (const m of s.querySelectorAll('mark')) {
      if (!m.hasAttribute('data-ends')) continue;
      const v = m.getAttribute('data-ends');
      if (!/^[0-9]+$/.test(v)) { out.bad.push(`${s.dataset.article}: data-ends="${v}"`); continue; }
      sum += Number(v);
    }
    out.sections.push([s.dataset.article, sum, s.querySelectorAll('mark').length]);
  }
  return out;
}"""

# Marks' computed backgrounds against the checked toggles. With ``expected``
# (the backgrounds before any toggle was touched) every mark must be back to it.
TRANSPARENT = ("rgba(0, 0, 0, 0)", "transparent")
MARK_STATE = """([expected, transparent]) => {
""" + DESCRIBE + """
  const checked = new Set();
  for (const t of document.querySelectorAll('input.toggle[type=checkbox][data-k]'))
    if (t.checked) checked.add(t.dataset.k);
  const out = [];
  document.querySelectorAll('mark').forEach((m, i) => {
    const bg = getComputedStyle(m).backgroundColor;
    const ks = Array.from(m.classList).filter(c => /^k[0-9]+$/.test(c)).map(c => c.slice(1));
    if (expected) {
      if (bg !== expected[i]) out.push(`${describe(m)} [${ks}] has ${bg}, not ${expected[i]} as before`);
    } else if (ks.length && ks.every(k => !checked.has(k))) {
      if (!transparent.includes(bg)) out.push(`${describe(m)} [${ks}] all unchecked but has background ${bg}`);
    } else if (transparent.includes(bg)) {
      out.push(`${describe(m)} [${ks}] has a checked category but a transparent background`);
    }
  });
  return out.slice(0, 25);
}"""
BACKGROUNDS = "() => Array.from(document.querySelectorAll('mark'), m => getComputedStyle(m).backgroundColor)"


def wait_until_clean(page, check: str, arg=None, *, what: str) -> None:
    """Wait until the in-page ``check`` finds no problem; fail with the problems it still finds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    ok = f"args => ({check})(args).length === 0"
    try:
        page.wait_for_function(ok, arg=arg, timeout=WAIT_MS)
        return
    except PlaywrightTimeout:
        pass
    problems = page.evaluate(check, arg)
    pytest.fail(f"{what}, after {WAIT_MS} ms:\n  " + "\n  ".join(problems), pytrace=False)
