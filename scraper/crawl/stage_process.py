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

At the end the crawl closes fd 3; the child closes its stages (templates saved, the re-clean
run) and exits. Nothing a page contains can stop the crawl:

- a stage that raises on a page: the answer names the exception; the page is counted as
  `item_error/<Exception>` (scraper/crawl/fates.py) and the crawl goes on;
- a page the stages do not finish within ARCHIWUM_PAGE_TIME_LIMIT seconds: the crawl process
  kills the child (SIGKILL), counts `page_too_slow` with the URL in the log, starts a new child
  and sends it the pages queued behind the slow one. The new child's chain opens as a killed
  crawl's next run would: the templates as last saved (every 500 pages) plus the early pages
  noted; `restarted_since` tells the dedupe stage which articles this crawl already stored.

The child never outlives the crawl process: the kernel kills it when the crawl process dies
(PR_SET_PDEATHSIG, kill -9 included), SIGTERM ends it at once, and a crawl asked to stop
(SIGINT, SIGTERM) gives it INTERRUPT_GRACE seconds for the pages it has, skips the re-clean, and
kills it after that. Each article is stored in its own transaction, so the archive stays whole.
A child that dies by itself stops the crawl (finish reason `stage_process_failed`: "crawl
failed: ...", exit status 1).
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import logging
import os
import pickle
import resource
import signal
import struct
import sys
import time
import traceback
from collections import deque
from datetime import datetime, timezone
from dataclasses import fields
from pathlib import Path

from scrapy.exceptions import DropItem
from scrapy.settings import Settings
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from twisted.internet import defer, error, protocol, task

from scraper.crawl.interrupt import AskedToStop
from scraper.crawl.memory import tune_gc
from scraper.crawl.stages import StageChain, StageContext

logger = logging.getLogger(__name__)

TO_STAGES, FROM_STAGES = 3, 4  # the child's file descriptors of the two pipes
PIPE_BYTES = 1 << 20  # Linux's default pipe-max-size for unprivileged processes
HEADER = struct.Struct(">I")  # each message: its length, then a pickle
FAILED_REASON = "stage_process_failed"
NOT_RETURNED = frozenset({"html"})  # the stages never change the page source; the crawl has it
WATCH_INTERVAL = 0.25  # seconds between two looks at the page in the stages and at the engine
# Asked to stop (SIGINT, SIGTERM), the crawl gives the stages this long to finish the pages they
# have, then kills the stage process: the crawl ends within 10 s whatever a page does.
INTERRUPT_GRACE = 5
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
SIGTERM_WAIT = 1.0  # seconds to see whether a SIGTERM that ended the child is stopping the crawl too


def frame(message) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


# --- the crawl process ------------------------------------------------------------------------

class StagesProtocol(protocol.ProcessProtocol):
    """The crawl's end of the pipes to one child: sends messages, splits the answers into messages."""

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
            self.on_message(self, message)

    def processEnded(self, reason) -> None:
        self.on_end(self, reason.value)

    def kill(self) -> None:
        with contextlib.suppress(error.ProcessExitedAlready):
            self.transport.signalProcess("KILL")


class StageProcess:
    """Scrapy's item processor for `archiwum crawl`: the stage chain, in a child process, watched.

    The child answers pages in the order they were sent, so the page at the head of `pending` is
    the one it is working on, since the later of its sending and the previous answer. A page that
    takes longer than ARCHIWUM_PAGE_TIME_LIMIT is given up (`PageTooSlow`): the child is killed and
    a new one started, which gets the pages queued behind it again."""

    def __init__(self, crawler):
        self.crawler = crawler
        self.limit = crawler.settings.getfloat("ARCHIWUM_PAGE_TIME_LIMIT")
        self.pending: deque = deque()  # (item, Deferred) in the order sent; the child answers in order
        self.child: StagesProtocol | None = None
        self.ready = False  # the current child has built its chain and reads pages
        self.head_since = 0.0  # monotonic time the child started on the head of `pending`
        self.started_at = ""  # when this crawl's stages started, for a restarted child's stages
        self.all_ended = defer.Deferred()
        self.closing = False
        self.interrupted_at = 0.0  # monotonic time the crawl was asked to stop (SIGINT, SIGTERM)
        self.asked_to_stop = AskedToStop(crawler)
        self.failure = ""  # why the stages stopped early, once they have
        self.watch = task.LoopingCall(self.check)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def open_spider_async(self) -> None:
        self.started_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        self.start_child(restarted=False)
        self.watch.start(WATCH_INTERVAL, now=False)
        from twisted.internet import reactor

        reactor.addSystemEventTrigger("before", "shutdown", self.kill_child)  # a forced stop too

    def start_child(self, restarted: bool) -> None:
        from twisted.internet import reactor

        self.child, self.ready = StagesProtocol(self.on_message, self.on_end), False
        reactor.spawnProcess(self.child, sys.executable, [sys.executable, "-P", "-m", __name__, str(os.getpid())],
                             env=child_env(), childFDs={1: 1, 2: 2, TO_STAGES: "w", FROM_STAGES: "r"})
        self.child.send({"settings": self.crawler.settings.copy_to_dict(),
                         "sources": getattr(self.crawler.spider, "sources", []),
                         "restarted_since": self.started_at if restarted else None,
                         "started_at": self.started_at})
        for item, _ in self.pending:  # a restarted child gets the pages queued behind the slow one
            self.child.send(item)

    async def process_item_async(self, item):
        if self.failure:
            raise DropItem(f"not processed: {self.failure}", log_level="DEBUG")
        if self.interrupted_at:
            raise DropItem("not processed: the crawl was interrupted", log_level="DEBUG")
        answer = defer.Deferred()
        if not self.pending:
            self.head_since = time.monotonic()
        self.pending.append((item, answer))
        if self.child is not None:
            self.child.send(item)
        return await maybe_deferred_to_future(answer)

    async def close_spider_async(self) -> None:
        self.notice_interruption()
        self.closing = True
        if self.child is not None:
            if self.interrupted_at:  # no re-clean: the notes wait for the next crawl
                self.child.send({"stop": "interrupted"})
            self.child.transport.closeChildFD(TO_STAGES)
        if self.started_at:  # every child's end, whichever way, fires it
            await maybe_deferred_to_future(self.all_ended)
        self.stop_watching()

    def stop_watching(self) -> None:
        if self.watch.running:
            self.watch.stop()

    # --- answers and ends of children -----------------------------------------------------------

    def on_message(self, child: StagesProtocol, message: tuple) -> None:
        if child is not self.child:  # a late answer of a child given up on
            return
        kind, stats, *rest = message
        for method, args, kwargs in stats:
            getattr(self.crawler.stats, method)(*args, **kwargs)
        if kind == "ready":
            self.ready, self.head_since = True, time.monotonic()
            return
        if kind == "failed":
            self.failure = rest[0]
            return
        if kind == "closed":
            return
        item, answer = self.pending.popleft()
        self.head_since = time.monotonic()
        if kind == "item":
            for name, value in rest[0].items():
                setattr(item, name, value)
            answer.callback(item)
        elif kind == "dropped":
            answer.errback(DropItem(*rest))
        else:
            answer.errback(StageError(*rest))

    def on_end(self, child: StagesProtocol, reason) -> None:
        if child is not self.child:  # the child given up on a slow page; its successor runs
            return
        self.child = None
        if getattr(reason, "signal", None) == signal.SIGTERM and not (self.closing or self.interrupted_at):
            # SIGTERM sent to every process of the crawl (`systemctl stop` without KillMode=mixed)
            # may reach the child first: the crawl process is being stopped too, most likely.
            from twisted.internet import reactor

            reactor.callLater(SIGTERM_WAIT, self.ended, reason)
            return
        self.ended(reason)

    def ended(self, reason) -> None:
        self.notice_interruption()
        if self.interrupted_at:
            self.give_up_pending("the crawl was interrupted")
        elif not isinstance(reason, error.ProcessDone) or not self.closing:
            self.fail(self.failure or ended_how(reason))
        self.fire_ended()

    def fire_ended(self) -> None:
        if not self.all_ended.called:
            self.all_ended.callback(None)

    def fail(self, why: str) -> None:
        self.failure = why
        self.crawler.stats.set_value("stage_process/failed", why)
        logger.error("the item stages stopped (%s): the crawl stops; every article stored so far is "
                     "complete in the archive", why)
        self.give_up_pending(why)
        if not self.closing:
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=FAILED_REASON))

    def give_up_pending(self, why: str) -> None:
        while self.pending:
            _, answer = self.pending.popleft()
            answer.errback(DropItem(f"not processed: {why}", log_level="DEBUG"))

    # --- the watchdog ---------------------------------------------------------------------------

    def check(self) -> None:
        """Every WATCH_INTERVAL: a page over its time limit, or a crawl asked to stop."""
        now = time.monotonic()
        self.notice_interruption()
        if self.interrupted_at and now - self.interrupted_at > INTERRUPT_GRACE and self.child is not None:
            self.kill_child()
            return
        if self.ready and self.pending and self.child is not None and now - self.head_since > self.limit:
            self.give_up_head()

    def notice_interruption(self) -> None:
        if not self.interrupted_at and not self.closing and self.asked_to_stop():
            self.interrupted_at = time.monotonic()
            logger.info("the crawl stops: the item stages finish the pages they have within %d s",
                        INTERRUPT_GRACE)

    def give_up_head(self) -> None:
        item, answer = self.pending.popleft()
        self.child.kill()
        logger.error("page too slow: %s took over %g s in the item stages; skipped, the stage "
                     "process is restarted", item.url, self.limit)
        answer.errback(PageTooSlow(f"{item.url} took over {self.limit:g} s in the item stages"))
        if not self.interrupted_at:  # else the slow child's end gives up the rest
            self.start_child(restarted=True)  # the killed one no longer holds the archive

    def kill_child(self) -> None:
        """Now, whatever it is doing: each article is its own transaction, so the archive stays whole."""
        if self.child is not None:
            self.child.kill()


class PageTooSlow(Exception):
    """A page the item stages did not finish within ARCHIWUM_PAGE_TIME_LIMIT."""


def child_env() -> dict[str, str]:
    """The crawl's environment; the child imports this code, never a `scraper` in its working directory."""
    here = str(Path(__file__).resolve().parent.parent.parent)
    return os.environ | {"PYTHONPATH": os.pathsep.join(filter(None, [here, os.environ.get("PYTHONPATH")]))}


class StageError(Exception):
    """A stage raised on one item: `kind` is the exception's class name, the message the child's traceback."""

    def __init__(self, kind: str, details: str = ""):
        super().__init__(details or kind)
        self.kind = kind


def ended_how(reason) -> str:
    if getattr(reason, "signal", None):
        return f"the stage process was killed by signal {reason.signal}"
    return f"the stage process exited with status {getattr(reason, 'exitCode', '?')}"


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
    except Exception as problem:  # as Scrapy does in one process: the page is lost (and counted), the crawl goes on
        return ("error", stats.take(), type(problem).__name__, traceback.format_exc())
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
    settings = Settings(setup["settings"])
    configure_logging(settings)
    context = StageContext(settings, stats, setup["sources"], restarted_since=setup["restarted_since"],
                           started_at=setup["started_at"])
    chain = StageChain.build(context).open()
    tune_gc()
    outbox.send(("ready", stats.take()))
    reclean = True
    while (message := read_message(inbox)) is not None:
        if isinstance(message, dict):  # {"stop": "interrupted"}: close at once, the re-clean waits
            reclean = False
            break
        outbox.send(run_stages(chain, message, stats))
    chain.close(reclean=reclean)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    stats.set_value("stage_process/cpu_seconds", round(usage.ru_utime + usage.ru_stime, 2))
    outbox.send(("closed", stats.take()))


def widen_pipe(fd: int) -> None:
    """Let the pipe hold ~50 pages, not Linux's default 64 KB (~3): while the crawl process is busy
    for tens of milliseconds (a listing page's links, a GC pass), Twisted cannot write, and the
    stages would wait for input."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or above /proc/sys/fs/pipe-max-size
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def die_with(parent: int) -> None:
    """Never outlive the crawl process, however it ends (kill -9 included): the kernel sends SIGKILL
    when it dies. If it died before this line, the child has been handed to another parent."""
    with contextlib.suppress(OSError, AttributeError):  # Linux only
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:
        sys.exit(1)


def main() -> int:
    die_with(int(sys.argv[1]))
    # Ctrl-C on a terminal reaches the whole process group: the crawl process decides (it lets this
    # process finish the pages it has, then closes its input). SIGTERM ends this process at once,
    # as SIGKILL would: each article is its own transaction, so the archive stays whole.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
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
