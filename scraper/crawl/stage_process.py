"""The item stages in a second process: the crawl fetches on one core while they run on the other.

`archiwum crawl` sets Scrapy's ITEM_PROCESSOR to `StageProcess` (unless ARCHIWUM_STAGE_PROCESS
is off). It starts ONE child process, `python -m scraper.crawl.stage_process`, which builds the
stage chain (clean -> dates -> dedupe -> store, scraper/crawl/stages.py) from the crawl's settings
and runs it, one page at a time: template learning stays sequential and the archive has one writer.

    crawl process                                      stage process
    spider -> StageProcess --pickled Page (fd 3)-->    clean -> dates -> dedupe -> store
              item / drop / error + stats  <--(fd 4)--

Each page's answer comes back with the stats its stages counted, which are replayed into the
crawl's stats, so the progress line, the `crawls` table and the summary read as before; a drop or
an error reaches Scrapy as if the stage had run in the crawl process. Backpressure is Scrapy's
own: a response stays in the scraper until its item's answer arrives, and the engine stops
fetching when those responses hold more than SCRAPER_SLOT_MAX_ACTIVE_SIZE bytes (see
scraper/settings.py for the figure chosen). The input pipe is widened to 1 MB, so the waiting pages
reach the child even while the crawl process is busy with something else.

At the end the crawl closes fd 3; the child closes its stages (templates saved) and exits. A
crawl killed with kill -9 closes fd 3 too: the child stores what it has already read and exits.
A child that dies during the crawl stops the crawl (finish reason `stage_process_failed`, exit
status 1); every article stored before it is complete, each having its own transaction.
"""
from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import pickle
import resource
import signal
import struct
import sys
import traceback
from collections import deque
from dataclasses import fields
from pathlib import Path

from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import defer, error, protocol

from scraper.crawl.memory import tune_gc
from scraper.crawl.stages import StageChain, StageContext

logger = logging.getLogger(__name__)

TO_STAGES, FROM_STAGES = 3, 4  # the child's file descriptors of the two pipes
PIPE_BYTES = 1 << 20  # Linux's default pipe-max-size for unprivileged processes
HEADER = struct.Struct(">I")  # each message: its length, then a pickle
FAILED_REASON = "stage_process_failed"
NOT_RETURNED = frozenset({"html"})  # the stages never change the page source; the crawl has it


def frame(message) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


# --- the crawl process ------------------------------------------------------------------------

class StagesProtocol(protocol.ProcessProtocol):
    """The crawl's end of the pipes: sends messages, splits the answers into messages."""

    def __init__(self, on_message, on_end):
        self.on_message = on_message
        self.on_end = on_end
        self.buffer = bytearray()

    def send(self, message) -> None:
        self.transport.writeToChild(TO_STAGES, frame(message))

    def childDataReceived(self, child_fd: int, data: bytes) -> None:
        self.buffer += data
        while len(self.buffer) >= HEADER.size:
            (size,) = HEADER.unpack_from(self.buffer)
            if len(self.buffer) < HEADER.size + size:
                return
            message = pickle.loads(self.buffer[HEADER.size:HEADER.size + size])
            del self.buffer[:HEADER.size + size]
            self.on_message(message)

    def processEnded(self, reason) -> None:
        self.on_end(reason.value)


class StageProcess:
    """Scrapy's item processor for `archiwum crawl`: the stage chain, in a child process."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.pending: deque = deque()  # (item, Deferred) in the order sent; the child answers in order
        self.child: StagesProtocol | None = None
        self.ended = defer.Deferred()
        self.closing = False
        self.failure = ""  # why the child stopped early, once it has

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def open_spider_async(self) -> None:
        from twisted.internet import reactor

        self.child = StagesProtocol(self.on_message, self.on_end)
        reactor.spawnProcess(self.child, sys.executable, [sys.executable, "-P", "-m", __name__], env=child_env(),
                             childFDs={1: 1, 2: 2, TO_STAGES: "w", FROM_STAGES: "r"})
        self.child.send({"settings": self.crawler.settings.copy_to_dict(),
                         "sources": getattr(self.crawler.spider, "sources", [])})

    async def process_item_async(self, item):
        if self.failure:
            raise DropItem(f"not processed: {self.failure}", log_level="DEBUG")
        answer = defer.Deferred()
        self.pending.append((item, answer))
        self.child.send(item)
        return await maybe_deferred_to_future(answer)

    async def close_spider_async(self) -> None:
        self.closing = True
        if self.child is None:  # it never started
            return
        if not self.ended.called:
            self.child.transport.closeChildFD(TO_STAGES)
        await maybe_deferred_to_future(self.ended)

    def on_message(self, message: tuple) -> None:
        kind, stats, *rest = message
        for method, args, kwargs in stats:
            getattr(self.crawler.stats, method)(*args, **kwargs)
        if kind == "failed":
            self.failure = rest[0]
            return
        if kind == "closed":
            return
        item, answer = self.pending.popleft()
        if kind == "item":
            for name, value in rest[0].items():
                setattr(item, name, value)
            answer.callback(item)
        elif kind == "dropped":
            answer.errback(DropItem(*rest))
        else:
            answer.errback(StageError(rest[0]))

    def on_end(self, reason) -> None:
        if not isinstance(reason, error.ProcessDone) or not self.closing:
            self.fail(self.failure or ended_how(reason))
        self.ended.callback(None)

    def fail(self, why: str) -> None:
        self.failure = why
        self.crawler.stats.set_value("stage_process/failed", why)
        logger.error("the item stages stopped (%s): the crawl stops; every article stored so far is "
                     "complete in the archive", why)
        while self.pending:
            _, answer = self.pending.popleft()
            answer.errback(DropItem(f"not processed: {why}", log_level="DEBUG"))
        if not self.closing:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=FAILED_REASON))


def child_env() -> dict[str, str]:
    """The crawl's environment; the child imports this code, never a `scraper` in its working directory."""
    here = str(Path(__file__).resolve().parent.parent)
    return os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}


class StageError(Exception):
    """A stage raised on one item; the message carries the child's traceback."""


def ended_how(reason) -> str:
    if getattr(reason, "signal", None):
        return f"stage process killed by signal {reason.signal}"
    return f"stage process exited with status {getattr(reason, 'exitCode', '?')}"


# --- the stage process ------------------------------------------------------------------------

class StatsRecorder:
    """The crawl's stats API in the child: records each call, to be replayed in the crawl process."""

    def __init__(self):
        self.calls: list[tuple[str, tuple, dict]] = []

    def __getattr__(self, method: str):
        if method not in ("inc_value", "set_value", "max_value", "min_value"):
            raise AttributeError(method)
        return lambda *args, **kwargs: self.calls.append((method, args, kwargs))

    def take(self) -> list[tuple[str, tuple, dict]]:
        calls, self.calls = self.calls, []
        return calls


def run_stages(chain: StageChain, item, stats: StatsRecorder) -> tuple:
    try:
        item = chain.process(item)
    except DropItem as drop:
        return ("dropped", stats.take(), str(drop), drop.log_level)
    except Exception:  # as Scrapy does in one process: the page is lost, the crawl goes on
        return ("error", stats.take(), traceback.format_exc())
    return ("item", stats.take(), {f.name: getattr(item, f.name) for f in fields(item) if f.name not in NOT_RETURNED})


class Outbox:
    """Answers to the crawl; once the crawl is gone (kill -9), the stages go on without answering."""

    def __init__(self, fd: int):
        self.file = os.fdopen(fd, "wb")

    def send(self, message) -> None:
        if self.file is None:
            return
        try:
            self.file.write(frame(message))
            self.file.flush()
        except BrokenPipeError:
            self.file = None


def read_message(inbox):
    """The next message, or None at the end of the input (the crawl closed it, or died)."""
    header = inbox.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    return pickle.loads(inbox.read(HEADER.unpack(header)[0]))


def serve(inbox, outbox: Outbox, stats: StatsRecorder) -> None:
    from scrapy.utils.log import configure_logging

    setup = read_message(inbox)
    configure_logging(Settings(setup["settings"]))
    chain = StageChain.build(StageContext(Settings(setup["settings"]), stats, setup["sources"])).open()
    tune_gc()
    while (item := read_message(inbox)) is not None:
        outbox.send(run_stages(chain, item, stats))
    chain.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats.set_value("stage_process/cpu_seconds", round(usage.ru_utime + usage.ru_stime, 2))
    outbox.send(("closed", stats.take()))


def widen_pipe(fd: int) -> None:
    """Let the pipe hold ~50 pages, not Linux's default 64 KB (~3): while the crawl process is busy
    for tens of milliseconds (a listing page's links, a GC pass), Twisted cannot write, and the
    stages would wait for input."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or above /proc/sys/fs/pipe-max-size
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def main() -> int:
    # Ctrl-C on a terminal and systemd's SIGTERM reach the whole process group: the crawl process
    # shuts down gracefully and then closes the input, which ends this process in order.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    widen_pipe(TO_STAGES)
    outbox, stats = Outbox(FROM_STAGES), StatsRecorder()
    try:
        serve(os.fdopen(TO_STAGES, "rb"), outbox, stats)
    except Exception as problem:
        logger.debug("the stage process failed", exc_info=True)
        outbox.send(("failed", stats.take(), f"{type(problem).__name__}: {problem}"))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
