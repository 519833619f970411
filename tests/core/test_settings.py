"""Twelve-factor settings: URLs from the environment, embedded services' socket URLs."""

from __future__ import annotations

from sellercx.settings.base import celery_broker_from_redis, database_from_url


def test_socket_directory_in_database_url_is_decoded():
    config = database_from_url("postgres://postgres@%2Fwork%2F.data%2Fpostgres/sellercx")
    assert config["HOST"] == "/work/.data/postgres"
    assert config["NAME"] == "sellercx"
    assert config["CONN_HEALTH_CHECKS"] is True


def test_tcp_database_url():
    config = database_from_url("postgres://u:p@db.example:6543/cx")
    assert (config["HOST"], config["PORT"], config["USER"], config["NAME"]) == (
        "db.example",
        6543,
        "u",
        "cx",
    )


def test_celery_spells_unix_socket_redis_urls_its_own_way():
    assert celery_broker_from_redis("unix:///tmp/r/redis.socket") == (
        "redis+socket:///tmp/r/redis.socket"
    )
    assert celery_broker_from_redis("redis://redis:6379/0") == "redis://redis:6379/0"
