"""The spill: what pass 1 writes per article, read back the same before and after sealing, on disk only while wanted."""

from __future__ import annotations

import gc
import pickle

import numpy as np
import pytest

from framing.engine.spill import Parked, Spill, receive_in


def filled(folder=None) -> Spill:
    spill = Spill(folder)
    rng = np.random.default_rng(3)
    for _ in range(5):
        n = int(rng.integers(0, 50))
        spill.add_counts(rng.integers(0, 1000, n), rng.integers(1, 9, n))
        spill.add_bytes([bytes(rng.integers(0, 256, int(rng.integers(0, 30))).astype(np.uint8)) for _ in range(4)])
    return spill


def everything(spill: Spill) -> tuple[bytes, bytes, bytes]:
    terms, counts = spill.read_counts(0, spill.n_entries)
    return terms.tobytes(), counts.tobytes(), spill.read_bytes(0, spill.n_bytes)


def test_a_sealed_spill_reads_what_was_written_and_takes_no_more(tmp_path):
    spill = filled(tmp_path)
    open_reads = everything(spill)
    middle = spill.read_counts(3, 17), spill.read_bytes(5, 40)
    spill.seal()
    assert everything(spill) == open_reads
    assert [a.tolist() for a in spill.read_counts(3, 17)] == [a.tolist() for a in middle[0]]
    assert spill.read_bytes(5, 40) == middle[1]
    with pytest.raises(RuntimeError):
        spill.add_bytes([b"x"])
    with pytest.raises(RuntimeError):
        spill.add_counts(np.zeros(1), np.zeros(1))
    spill.close()


def test_a_sealed_spill_travels_by_pickle_into_a_folder_of_its_own(tmp_path):
    spill = filled(tmp_path).seal()
    copy = pickle.loads(pickle.dumps(spill))
    assert copy.path != spill.path and copy.path.is_dir()
    assert (copy.n_entries, copy.n_bytes) == (spill.n_entries, spill.n_bytes)
    assert everything(copy) == everything(spill)
    with pytest.raises(TypeError):
        pickle.dumps(filled(tmp_path))  # an open spill is still being written: it does not travel
    copy.close()
    spill.close()


def test_the_files_go_on_close_or_with_the_object(tmp_path):
    spill = filled(tmp_path).seal()
    path = spill.path
    spill.close()
    spill.close()  # idempotent
    assert not path.exists()
    spill = filled(tmp_path).seal()
    path = spill.path
    del spill
    gc.collect()
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_a_parked_object_waits_on_disk_travels_by_pickle_and_goes_with_the_handle(tmp_path):
    value = {"words": ["a", "b"] * 1000, "counts": np.arange(5000, dtype=np.int64)}
    (tmp_path / "here").mkdir()
    parked = Parked(value, tmp_path / "here")
    assert parked.path.parent == tmp_path / "here" and parked.path.stat().st_size == parked.size > 5000 * 8
    assert parked.size <= parked.__sizeof__() < parked.size + 1000  # what moving it costs, for Dask's batching
    back = parked.load()
    assert back["words"] == value["words"] and back["counts"].tolist() == value["counts"].tolist()
    (tmp_path / "there").mkdir()
    receive_in(str(tmp_path / "there"))
    try:
        moved = pickle.loads(pickle.dumps(parked))
    finally:
        receive_in(None)
    assert moved.path.parent == tmp_path / "there"
    assert moved.load()["counts"].tolist() == value["counts"].tolist()
    paths = [parked.path, moved.path]
    del parked, moved
    gc.collect()
    assert not any(p.exists() for p in paths)
