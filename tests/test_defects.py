"""Defects found in review, each pinned by the test that showed it."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from framing.report.write import _signals_held


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
            with _signals_held():
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
