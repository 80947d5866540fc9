"""How a PostgreSQL URL becomes asyncpg's options (no connection needed)."""

import ssl

import pytest
from ai_companion.database.postgres import connect_options, numbered


def test_loopback_defaults_to_plain_and_elsewhere_to_tls(monkeypatch):
    monkeypatch.delenv("PGPASSWORD", raising=False)
    assert connect_options("postgresql://ava@127.0.0.1:5433/companion") == {
        "password": "",
        "ssl": False,
    }
    remote = connect_options("postgresql://ava:p%40ss@db.example/companion")
    assert remote["password"] == "p@ss"
    assert isinstance(remote["ssl"], ssl.SSLContext) and remote["ssl"].verify_mode == ssl.CERT_NONE


def test_sslmode_verify_full_checks_the_host_and_pgpassword_fills_in(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "from-env")
    options = connect_options("postgres://ava@db.example/companion?sslmode=verify-full")
    assert options["password"] == "from-env"
    assert options["ssl"].check_hostname and options["ssl"].verify_mode == ssl.CERT_REQUIRED
    with pytest.raises(ValueError, match="sslmode=prefer is not supported"):
        connect_options("postgresql://ava@db.example/companion?sslmode=prefer")


def test_placeholders_are_numbered_in_order():
    assert numbered("SELECT ? WHERE a = ? AND b = ?") == "SELECT $1 WHERE a = $2 AND b = $3"
