from django_redis.cache import RedisCache

from aipg_site.cache import FailOpenClient

from .test_settings import production_settings


def redis_cache(location, **options):
    """django-redis's backend with the site's client, as the settings configure it."""
    return RedisCache(location, {"OPTIONS": {"CLIENT_CLASS": "aipg_site.cache.FailOpenClient", **options}})


def test_production_uses_the_fail_open_client_with_short_timeouts():
    (caches,) = production_settings("CACHES", REDIS_URL="redis://127.0.0.1:6379/5")
    cache = RedisCache(caches["default"]["LOCATION"], caches["default"])
    assert isinstance(cache.client, FailOpenClient)
    pool = cache.client.get_client().connection_pool
    assert pool.connection_kwargs["socket_connect_timeout"] == 0.25
    assert pool.connection_kwargs["socket_timeout"] == 0.5


def test_the_redis_cache_reuses_one_client_per_connection_pool():
    cache = redis_cache("redis://127.0.0.1:6379/5")
    client = cache.client.get_client(write=False)
    assert cache.client.get_client(write=True) is client


def test_a_redis_that_is_down_is_a_miss_and_its_return_retires_the_pages(tmp_path, monkeypatch):
    """A real Redis on a port of its own, stopped and started again."""
    import shutil
    import socket
    import subprocess
    import time

    from aipg_site import cache as cache_module

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(cache_module, "RETRY_AFTER", 0.5)
    recovered = []
    monkeypatch.setattr(cache_module, "_recovery_hooks", [lambda: recovered.append(True)])
    cache = redis_cache(f"redis://127.0.0.1:{port}/0", SOCKET_CONNECT_TIMEOUT=0.25, SOCKET_TIMEOUT=0.5)

    started = time.monotonic()
    assert cache.get("page", "missing") == "missing"  # nothing listens: a miss, not an error
    cache.set("page", "html")
    assert cache.get_many(["a", "b"]) == {}
    assert cache.add("counter", 0) is False
    assert cache.incr("counter") == 1  # a rate-limit counter reads as just started
    assert time.monotonic() - started < 1.0  # one timeout at most, then Redis is left alone

    server = subprocess.Popen(
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not recovered:
            cache.set("page", "html")
            time.sleep(0.1)
        assert recovered == [True]  # once: the page cache's purge runs when Redis is back
        assert cache.get("page") == "html"
    finally:
        server.terminate()
        server.wait(10)
