"""Work shared by the cores: every piece done once, whatever the helpers do."""

from __future__ import annotations

import os
import signal
import time

import pytest

from waqai import cores
from waqai.config import BuildFailed


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 2)


def slowly(value: int) -> int:
    """A piece that takes long enough for a helper to start and take some."""
    time.sleep(0.005)
    return value


def test_every_piece_is_done_once_by_one_of_the_processes() -> None:
    done = cores.share(range(200), lambda n: (slowly(n * n), os.getpid()))
    assert sorted(square for square, _ in done) == [n * n for n in range(200)]
    assert len({pid for _, pid in done}) == 2, "the work was not shared"


def test_this_process_may_only_receive_what_helpers_make() -> None:
    done = cores.share(range(200), lambda n: (slowly(n), os.getpid()), takes_part=False)
    assert sorted(n for n, _ in done) == list(range(200))
    pids = {pid for _, pid in done}
    assert os.getpid() not in pids
    assert len(pids) == 2, "one helper per core"


def test_a_helper_that_is_killed_stops_the_work() -> None:
    builder = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != builder:
            os.kill(os.getpid(), signal.SIGKILL)
        return slowly(n)

    with pytest.raises(BuildFailed) as failed:
        cores.share(range(100), work)
    assert failed.value.args[0].values == {"code": "-9"}


def test_an_error_in_a_helper_is_raised_with_its_traceback() -> None:
    builder = os.getpid()

    def work(n: int) -> int:
        if os.getpid() != builder:
            raise ValueError(f"piece {n} is wrong")
        return slowly(n)

    with pytest.raises(RuntimeError, match=r"(?s)a helper process failed:.*ValueError: piece \d+ is wrong"):
        cores.share(range(100), work)
