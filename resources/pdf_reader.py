"""Reading PDFs in child processes, bounded in time, memory and pages.

pypdf's work grows with whatever a file declares, so a crafted PDF can keep it busy for minutes or
fill the memory. The library therefore never parses a PDF in a web or task worker's own process:
`read_pdf` hands the bytes to a reader process, waits a bounded time for its answer, and kills the
reader when it overruns (a thread cannot be stopped; a process can). A reader also limits itself
(address space, and CPU seconds for each file) so that it dies on its own when nobody is left to
kill it.

Readers are kept and reused: starting one costs about a fifth of a second (a new interpreter
importing pypdf), while reading a small PDF costs a hundredth. One that overran, died, found a
problem or read a large file (whose memory it may keep) is stopped instead of reused.

What runs in a reader is in this module too, and it imports nothing of Django or the project, so a
reader starts without the project's settings.
"""

import math
import multiprocessing
import os
import resource
import threading
import time
from io import BytesIO

from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import LimitReachedError

# What to read: the page count the document catalogue declares (cheap: the upload check), or every
# page object reachable from the page tree (the walk the worker does).
DECLARED, WALK = "declared", "walk"

# What can be wrong, as `read_pdf` reports it (`resources.documents.PdfCheck` shows them to editors).
UNREADABLE = "unreadable"
NEEDS_PASSWORD = "password"  # noqa: S105 (what is wrong, not a password)
TOO_MANY_PAGES = "too-many-pages"
TIMED_OUT = "timed-out"

# A reader may use this much address space: pypdf needs a few hundred megabytes for the largest
# files it accepts at all, and far less for one within the page limit.
READER_MEMORY = 1024 * 1024 * 1024
# A reader is reused after reading a file up to this size; after a larger one it may keep the memory
# it took, so it is stopped.
REUSE_AFTER_FILES_UP_TO = 1024 * 1024
IDLE_READERS = 2

# A sane page tree has fewer intermediate nodes than pages (each has at least two kids), plus at most
# one chain as deep as pypdf allows (100): past this many entries there are more pages than allowed.
TREE_DEPTH_ALLOWANCE = 100

# Spawned, not forked: a web or task worker runs threads, and a fork copies whatever locks they hold.
_processes = multiprocessing.get_context("spawn")
_READY = "ready"


# In the process that wants a PDF read --------------------------------------------------------


def read_pdf(data, mode, *, seconds, max_pages):
    """{"pages": n} for the PDF in `data`, or {"problem": ..., "detail": ...} (with "pages" too when
    the count is known but over `max_pages`), within `seconds` whatever the file holds."""
    deadline = time.monotonic() + seconds
    reader = _take_reader()
    try:
        # A new reader says when it is ready; until then a large file would fill the pipe and block.
        if not reader.ready:
            reader.ready = _answer_by(reader, deadline) == _READY
        if reader.ready:
            # Its own CPU limit is a backstop, for when this process is gone and cannot kill it.
            reader.connection.send((data, mode, max_pages, math.ceil(seconds) + 1))
            answer = _answer_by(reader, deadline)
        else:
            answer = None
    except (EOFError, OSError):
        # Ended by its memory or CPU limit, or a crash inside a parser: the file is the cause.
        answer = {"problem": UNREADABLE, "detail": "the reader stopped before answering"}
    if answer is None:
        answer = {"problem": TIMED_OUT, "detail": f"not read within {seconds:g} s"}
    if "problem" in answer or len(data) > REUSE_AFTER_FILES_UP_TO:
        reader.stop()
    else:
        _give_back(reader)
    return answer


def _answer_by(reader, deadline):
    """The reader's next message, or None when it has not come by `deadline`."""
    if reader.connection.poll(max(0.0, deadline - time.monotonic())):
        return reader.connection.recv()
    return None


class _Reader:
    def __init__(self):
        self.connection, theirs = _processes.Pipe()
        self.process = _processes.Process(target=_serve, args=(theirs, READER_MEMORY), name="pdf-reader", daemon=True)
        self.process.start()
        theirs.close()  # the reader holds its own end; EOF on ours now means it has died
        self.ready = False

    def stop(self):
        self.connection.close()
        self.process.kill()
        self.process.join()


_idle_readers = []
_idle_lock = threading.Lock()
_idle_owner = os.getpid()


def _take_reader():
    global _idle_owner
    with _idle_lock:
        if _idle_owner != os.getpid():
            # Forked since (a server that loads the site before forking its workers): those readers
            # are the parent's children, not ours.
            _idle_readers.clear()
            _idle_owner = os.getpid()
        while _idle_readers:
            reader = _idle_readers.pop()
            if reader.process.is_alive():
                return reader
            reader.stop()
    return _Reader()


def _give_back(reader):
    with _idle_lock:
        if len(_idle_readers) < IDLE_READERS:
            _idle_readers.append(reader)
            return
    reader.stop()


# In a reader --------------------------------------------------------------------------------


def _serve(connection, memory_bytes):
    """A reader's life: read each PDF it is sent, answer, and stop when its parent has gone."""
    # Past this, pypdf gets a MemoryError instead of the machine's memory.
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    connection.send(_READY)
    while True:
        try:
            data, mode, max_pages, cpu_seconds = connection.recv()
        except EOFError:
            return
        _allow_cpu_seconds(cpu_seconds)
        connection.send(_read(data, mode, max_pages))


def _allow_cpu_seconds(seconds):
    # Past the soft limit the kernel sends SIGXCPU, which ends the process. The limit counts the
    # process's whole life, so it is moved on for each file.
    usage = resource.getrusage(resource.RUSAGE_SELF)
    soft = math.ceil(usage.ru_utime + usage.ru_stime) + seconds
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _read(data, mode, max_pages):
    try:
        reader = PdfReader(BytesIO(data))
        # pypdf has already tried the empty password, which opens files protected only against editing.
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            return {"problem": NEEDS_PASSWORD, "detail": "needs a password to open"}
        if mode == DECLARED:
            pages = reader.root_object["/Pages"]["/Count"]
            if isinstance(pages, bool) or not isinstance(pages, int) or pages < 0:
                return {"problem": UNREADABLE, "detail": f"the catalogue declares {pages!r} pages"}
        else:
            # pypdf's own walk (`len(reader.pages)`), so the count is the one pypdf and readers see,
            # stopped soon after the limit rather than after every page of a file that lied.
            with apply_configuration(page_tree_maximum_entries=2 * max_pages + TREE_DEPTH_ALLOWANCE):
                pages = len(reader.pages)
    except LimitReachedError as error:
        # One of pypdf's bounds (array sizes, tree depth, our cap on tree entries): a file far
        # larger than any document the library takes, or built to look like one.
        return {"problem": TOO_MANY_PAGES, "detail": str(error)[:300]}
    except Exception as error:
        # pypdf raises many kinds of error on damaged files; for the library they all mean the same.
        return {"problem": UNREADABLE, "detail": f"{type(error).__name__}: {error}"[:300]}
    if pages > max_pages:
        return {"problem": TOO_MANY_PAGES, "pages": pages, "detail": f"{pages} pages"}
    return {"pages": pages}
