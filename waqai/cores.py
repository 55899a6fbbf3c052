"""Work shared by this process and forked helpers, one per other core.

Every process takes the next piece from one list until none is left, so that
pieces of unequal cost even out. A helper is a copy of this process made by
fork: it reads what this process holds without it being sent (and what it
does not write stays shared), and it sends each piece's result back through a
pipe, which a thread of this process empties as results come. A helper never
runs the cycle collector: a collection writes to every object it visits, so
that the helper would copy the pages it shares, and the few garbage cycles a
piece leaves go back to the system with the helper's memory when it ends. A
helper that dies (a system out of memory kills it) stops the work with
BuildFailed: no one waits for a result that will never come.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Iterator, Sequence
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

from waqai.config import BuildFailed
from waqai.problems import N_

Piece = TypeVar("Piece")
Result = TypeVar("Result")
Other = TypeVar("Other")

MAX_CORES = 8
_FORK = multiprocessing.get_context("fork")


def count() -> int:
    """How many cores the work is shared by."""
    return min(os.cpu_count() or 1, MAX_CORES)


def share(pieces: Sequence[Piece], do: Callable[[Piece], Result], *,
          takes_part: bool = True) -> list[Result]:
    """`do(piece)` for every piece, shared by the cores; the results in no
    particular order. With `takes_part` false, this process only receives
    results (from one helper per core): better when results are large, since
    receiving them is work too."""
    return share_lanes([pieces], do, takes_part=takes_part)


def share_lanes(lanes: Sequence[Sequence[Piece]], do: Callable[[Piece], Result], *,
                takes_part: bool = True) -> list[Result]:
    """`do(piece)` for every piece of every lane, shared by the cores: each
    process keeps to one lane, in order, while it has pieces (pieces of a lane
    share what a process makes once for them, such as one language's cards),
    then takes from the lane with the most left (from its end, where its own
    process is not working). The results in no particular order."""
    lanes = [lane for lane in lanes if lane]
    cores = count()
    if cores < 2 or sum(len(lane) for lane in lanes) < 2:
        return [do(piece) for lane in lanes for piece in lane]
    # The next and the end of every lane's pieces still to take, shared by the processes.
    bounds = _FORK.Array("i", [n for lane in lanes for n in (0, len(lane))])
    owned = min(len(lanes), cores)  # lanes 0 to owned - 1 are each the first lane of a process

    def take(home: int) -> tuple[int, int] | None:
        with bounds.get_lock():
            lane = home if bounds[2 * home] < bounds[2 * home + 1] else \
                max(range(len(lanes)), key=lambda n: bounds[2 * n + 1] - bounds[2 * n])
            first, end = bounds[2 * lane], bounds[2 * lane + 1]
            if first >= end:
                return None
            if lane == home or lane >= owned:  # a lane no process keeps to is taken in order
                bounds[2 * lane] = first + 1
                return lane, first
            bounds[2 * lane + 1] = end - 1
            return lane, end - 1

    def work(home: int) -> Iterator[Result]:
        while (taken := take(home)) is not None:
            yield do(lanes[taken[0]][taken[1]])

    # Every helper is forked before any thread of this process starts to receive.
    helpers: list[_Helper[Result]] = [
        _Helper(functools.partial(work, (number + takes_part) % len(lanes)))
        for number in range(cores - 1 if takes_part else cores)]
    try:
        for helper in helpers:
            helper.receive()
        done = list(work(0)) if takes_part else []
        for helper in helpers:
            done += helper.results()
        return done
    finally:
        for helper in helpers:
            helper.stop()


def alongside(here: Callable[[], Result], there: Callable[[], Other]) -> tuple[Result, Other]:
    """`here()` in this process while a helper does `there()`, whose result
    is sent back (keep it small); one after the other on a single core."""
    if count() < 2:
        return here(), there()
    helper: _Helper[Other] = _Helper(lambda: iter([there()]))
    try:
        helper.receive()
        mine = here()
        (theirs,) = helper.results()
    finally:
        helper.stop()
    return mine, theirs


def _send(work: Callable[[], Iterator[Result]], sender: Connection) -> None:
    """A helper's life: everything `work` yields sent, or why it failed."""
    gc.disable()  # see the module's docstring
    try:
        for result in work():
            sender.send((True, result))
    except BaseException:
        sender.send((False, traceback.format_exc()))
    sender.close()


class _Helper(Generic[Result]):
    """A forked process sending what `work` yields, and a thread of this
    process that receives it."""

    def __init__(self, work: Callable[[], Iterator[Result]]) -> None:
        self._receiver, sender = _FORK.Pipe(duplex=False)
        self.process = _FORK.Process(target=_send, args=(work, sender), daemon=True)
        self.process.start()
        sender.close()  # the helper holds the only sending end: its end is the end of the pipe
        self._received: list[Result] = []
        self._failure = ""
        self._thread = threading.Thread(target=self._receive, daemon=True)

    def receive(self) -> None:
        """Start receiving the helper's results."""
        self._thread.start()

    def _receive(self) -> None:
        try:
            while True:
                is_done, value = self._receiver.recv()
                if not is_done:
                    self._failure = str(value)
                    return
                self._received.append(value)
        except EOFError:  # the helper closed its end: after its last result, or dead
            pass
        finally:
            self._receiver.close()

    def results(self) -> list[Result]:
        """Everything the helper made, once it is done; raises if it failed or died."""
        self._thread.join()
        self.process.join()
        if self._failure:
            raise RuntimeError(f"a helper process failed:\n{self._failure}")
        if self.process.exitcode != 0:
            raise BuildFailed(N_("a process helping with the build ended before it finished "
                                 "(exit code {code}); nothing was written: was the machine out of memory?",
                                 code=str(self.process.exitcode)))
        return self._received

    def stop(self) -> None:
        """End the helper if it still runs (when this process failed first)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
