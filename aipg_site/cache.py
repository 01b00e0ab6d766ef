"""The Redis cache's client, made to speed the site up and never take it down.

The backend is django-redis's (`django_redis.cache.RedisCache`); the settings hand it
`FailOpenClient` as its `CLIENT_CLASS`, django-redis's documented way to change how the cache talks to
Redis. The client is django-redis's own `DefaultClient`, each cache operation guarded:

- **Fail open.** When Redis cannot be reached, or answers slower than the timeouts (a fraction of a
  second, `SOCKET_CONNECT_TIMEOUT` and `SOCKET_TIMEOUT` in the settings' OPTIONS), a cache operation
  behaves as a miss: a read finds nothing, a write is dropped, and the page is rendered from the
  database. One warning is logged when Redis goes away and one when it is back. For a few seconds
  after a failure (`RETRY_AFTER`) Redis is not asked at all, by any thread of the process, so a
  stopped or paused Redis costs a request one timeout at most, not one per cache call.
- **Nothing stale after an outage.** An edit made while Redis was away could not retire the cached
  pages (the page cache's purge is a cache write); so when Redis answers again, the process that saw
  it fail runs the recovery hooks (`on_recovery`; the page cache registers its purge).
- **One client per pool.** django-redis keeps one `redis.Redis` per server for each backend (Django
  makes one backend per thread) over one connection pool per address in the process. Django's own
  Redis backend built a new `redis.Redis` for every operation, and redis-py 8 fills a table of
  several hundred response callbacks in each constructor: about 150 µs of the 340 µs a page-cache
  hit took.

django-redis's `IGNORE_EXCEPTIONS` is left off: it would swallow errors without the pause or the
recovery. Nothing here is specific to the page cache; anything using Django's cache gets the same.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# After a failure, how long Redis is left alone before it is tried again (seconds).
RETRY_AFTER = 2.0

# django-redis raises ConnectionInterrupted for the errors it expects, and lets the others through.
REDIS_ERRORS = (RedisError, ConnectionInterrupted)

_recovery_hooks = []


def on_recovery(hook):
    """Call `hook()` when Redis answers again after this process saw it fail."""
    _recovery_hooks.append(hook)


class _Outage:
    """Whether a Redis server is thought down in this process, and since when."""

    def __init__(self):
        self._lock = threading.Lock()
        self.down_since = None
        self.retry_at = 0.0

    def skip(self):
        return self.down_since is not None and time.monotonic() < self.retry_at

    def failed(self, error):
        with self._lock:
            first = self.down_since is None
            if first:
                self.down_since = time.monotonic()
            self.retry_at = time.monotonic() + RETRY_AFTER
        if first:
            logger.warning("Redis is unreachable (%s): serving without the cache until it answers again.", error)

    def answered(self):
        if self.down_since is None:
            return
        with self._lock:
            if self.down_since is None:
                return
            seconds = time.monotonic() - self.down_since
            self.down_since = None
        logger.warning("Redis answers again after %.0f s; retiring what was cached before the outage.", seconds)
        for hook in _recovery_hooks:
            try:
                hook()
            except REDIS_ERRORS as error:
                self.failed(error)
                return


# One per server address in the process, shared by the clients of every thread.
_outages = {}
_outages_lock = threading.Lock()


def _outage_of(servers):
    with _outages_lock:
        return _outages.setdefault(tuple(servers), _Outage())


class FailOpenClient(DefaultClient):
    def __init__(self, server, params, backend):
        super().__init__(server, params, backend)
        self.outage = _outage_of(self._server)
        # Set while an operation runs in this thread: django-redis's operations call one another
        # (`add` calls `set`, `incr` may call `get`), and only the outermost one answers for an error.
        self._running = threading.local()

    def _fail_open(self, fallback, operation, *args, **kwargs):
        """`operation(...)`, or `fallback` when Redis fails or is thought down."""
        if getattr(self._running, "operation", False):
            return operation(*args, **kwargs)
        if self.outage.skip():
            return fallback
        self._running.operation = True
        try:
            result = operation(*args, **kwargs)
        except REDIS_ERRORS as error:
            self.outage.failed(error.__cause__ if isinstance(error, ConnectionInterrupted) else error)
            return fallback
        finally:
            self._running.operation = False
        self.outage.answered()
        return result

    # What each operation answers while Redis is away: as if the key were missing.

    def get(self, key, default=None, version=None, client=None):
        return self._fail_open(default, super().get, key, default=default, version=version, client=client)

    def get_many(self, keys, version=None, client=None):
        return self._fail_open({}, super().get_many, keys, version=version, client=client)

    def has_key(self, key, version=None, client=None):
        return self._fail_open(False, super().has_key, key, version=version, client=client)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None, nx=False, xx=False):
        return self._fail_open(
            False, super().set, key, value, timeout=timeout, version=version, client=client, nx=nx, xx=xx
        )

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._fail_open(False, super().add, key, value, timeout=timeout, version=version, client=client)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._fail_open(None, super().set_many, data, timeout=timeout, version=version, client=client)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None, client=None):
        return self._fail_open(False, super().touch, key, timeout=timeout, version=version, client=client)

    def delete(self, key, version=None, prefix=None, client=None):
        return self._fail_open(0, super().delete, key, version=version, prefix=prefix, client=client)

    def delete_many(self, keys, version=None, client=None):
        return self._fail_open(0, super().delete_many, keys, version=version, client=client)

    def clear(self, client=None):
        return self._fail_open(None, super().clear, client=client)

    # A counter reads as just started (the site keeps none that matter in the cache).

    def incr(self, key, delta=1, version=None, client=None, ignore_key_check=False):
        return self._fail_open(
            delta, super().incr, key, delta=delta, version=version, client=client, ignore_key_check=ignore_key_check
        )

    def decr(self, key, delta=1, version=None, client=None):
        return self._fail_open(-delta, super().decr, key, delta=delta, version=version, client=client)
