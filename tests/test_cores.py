"""Work shared by the cores: every piece done once, whatever the helpers do."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

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


def test_each_process_keeps_to_its_lane_until_it_is_done_then_helps_with_the_others() -> None:
    lanes = [[("ar", n) for n in range(60)], [("en", n) for n in range(60)], [], [("", n) for n in range(30)]]
    done = cores.share_lanes(lanes, lambda piece: (slowly(piece[1]), piece[0], os.getpid()))
    assert sorted((lane, n) for n, lane, _ in done) == sorted(piece for lane in lanes for piece in lane)
    by_lane = {lane: [pid for _, other, pid in done if other == lane] for lane in ("ar", "en", "")}
    # This process starts with the first lane, its helper with the second;
    # the third, which no process starts with, is shared once one is done.
    assert by_lane["ar"].count(os.getpid()) > 45, "this process left its lane"
    assert by_lane["en"].count(os.getpid()) < 15, "the helper left its lane"
    assert len(set(by_lane[""])) == 2, "the lane of no process was not shared"


def test_lanes_on_one_core_are_done_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 1)
    done = cores.share_lanes([[1, 2], [], [3]], lambda n: n)
    assert done == [1, 2, 3]


def test_alongside_does_one_thing_here_and_the_other_in_a_helper(tmp_path: Path) -> None:
    started = tmp_path / "started"

    def here() -> tuple[str, int]:
        """Busy until the other thing has begun: only a helper can begin it."""
        deadline = time.monotonic() + 30
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        return "here", os.getpid()

    def there() -> tuple[str, int]:
        started.touch()
        return "there", os.getpid()

    done_here, done_there = cores.alongside(here, there)
    assert done_here == ("here", os.getpid())
    assert done_there[0] == "there" and done_there[1] != os.getpid()


def test_alongside_on_one_core_does_both_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cores.os, "cpu_count", lambda: 1)
    assert cores.alongside(os.getpid, os.getpid) == (os.getpid(), os.getpid())


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
