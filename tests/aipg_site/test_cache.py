from aipg_site.cache import RedisCache


def test_the_redis_cache_reuses_one_client_per_connection_pool():
    cache = RedisCache("redis://127.0.0.1:6379/5", {})
    client = cache._cache.get_client("a-key")
    assert cache._cache.get_client("another-key", write=True) is client
