"""Settings: read lazily from the environment and an optional .env file."""

from __future__ import annotations

import subprocess
import sys

import pytest
from ai_companion.settings import SettingsError, load_settings, parse_dotenv, settings_from

KEYS = {"GROQ_API_KEY": "g", "TOGETHER_API_KEY": "t", "ELEVENLABS_API_KEY": "e"}


def test_dotenv_parsing_skips_comments_and_strips_quotes():
    text = "# comment\n\nexport GROQ_API_KEY='abc'\nCOMPANION_BACKEND = local\nnonsense\n"
    assert parse_dotenv(text) == {"GROQ_API_KEY": "abc", "COMPANION_BACKEND": "local"}


@pytest.mark.parametrize(
    ("values", "offline"),
    [({}, True), (KEYS, False), ({**KEYS, "COMPANION_BACKEND": "local"}, True)],
)
def test_auto_backend_goes_offline_without_keys(values, offline):
    assert settings_from(values).offline is offline


def test_values_are_converted_and_validated(tmp_path):
    settings = settings_from({"COMPANION_TIMEOUT": "2.5", "COMPANION_DATA_DIR": str(tmp_path)})
    assert settings.timeout == 2.5 and settings.data_dir == tmp_path
    with pytest.raises(SettingsError, match="COMPANION_BACKEND"):
        settings_from({"COMPANION_BACKEND": "mars"})
    with pytest.raises(SettingsError, match="COMPANION_RETRIES='many' is not a number"):
        settings_from({"COMPANION_RETRIES": "many"})


def test_database_url_names_postgresql_and_its_password_stays_out_of_repr():
    url = "postgresql://ava:pg-secret@db.example:5432/companion"
    settings = settings_from({"COMPANION_DATABASE_URL": url, "WHATSAPP_DEDUPE_HOURS": "48"})
    assert settings.database_url == url and settings.whatsapp_dedupe_hours == 48.0
    assert "pg-secret" not in repr(settings)
    assert settings_from({}).database_url == ""  # SQLite in the data directory
    with pytest.raises(SettingsError, match="COMPANION_DATABASE_URL must be a postgresql://"):
        settings_from({"COMPANION_DATABASE_URL": "mysql://db.example/companion"})


def test_env_overrides_dotenv_and_cloud_needs_keys(tmp_path, monkeypatch):
    for name in KEYS:
        monkeypatch.delenv(name, raising=False)
    dotenv = tmp_path / ".env"
    dotenv.write_text("COMPANION_CHAT_MODEL=from-file\nCOMPANION_BACKEND=cloud\nGROQ_API_KEY=x\n")
    monkeypatch.setenv("COMPANION_BACKEND", "auto")
    settings = load_settings(dotenv)
    assert settings.chat_model == "from-file" and settings.backend == "auto"
    monkeypatch.setenv("COMPANION_BACKEND", "cloud")
    with pytest.raises(SettingsError, match="TOGETHER_API_KEY, ELEVENLABS_API_KEY"):
        load_settings(dotenv)


def test_importing_the_package_reads_nothing_and_needs_nothing(tmp_path):
    code = "import ai_companion.cli, ai_companion.workflow, ai_companion.emulator"
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert not list(tmp_path.iterdir())


def test_api_keys_stay_out_of_repr():
    settings = settings_from({"GROQ_API_KEY": "gsk-secret-value", "COMPANION_BACKEND": "cloud"})
    assert settings.groq_api_key == "gsk-secret-value"
    assert "gsk-secret-value" not in repr(settings)
