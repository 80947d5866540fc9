"""The WhatsApp settings: read from the environment, secrets kept out of ``repr``."""

from __future__ import annotations

from ai_companion.interfaces.whatsapp.service import uses_graph_emulator
from ai_companion.settings import Settings, settings_from

ENVIRONMENT = {
    "WHATSAPP_VERIFY_TOKEN": "verify-123",
    "WHATSAPP_APP_SECRET": "secret-456",
    "WHATSAPP_TOKEN": "token-789",
    "WHATSAPP_PHONE_NUMBER_ID": "1098765",
    "WHATSAPP_GRAPH_URL": "http://127.0.0.1:9/v22.0",
}


def test_whatsapp_settings_come_from_the_environment():
    settings = settings_from(ENVIRONMENT)
    assert (settings.whatsapp_verify_token, settings.whatsapp_app_secret) == (
        "verify-123",
        "secret-456",
    )
    assert (settings.whatsapp_token, settings.whatsapp_phone_number_id) == ("token-789", "1098765")
    assert settings.whatsapp_graph_url == "http://127.0.0.1:9/v22.0"


def test_the_graph_url_defaults_to_metas_v21():
    assert Settings().whatsapp_graph_url == "https://graph.facebook.com/v21.0"


def test_secrets_stay_out_of_repr():
    shown = repr(settings_from(ENVIRONMENT))
    assert "1098765" in shown
    for secret in ("verify-123", "secret-456", "token-789"):
        assert secret not in shown


def test_the_graph_emulator_stands_in_without_credentials_or_when_local():
    assert not uses_graph_emulator(settings_from(ENVIRONMENT))
    assert uses_graph_emulator(settings_from({**ENVIRONMENT, "COMPANION_BACKEND": "local"}))
    assert uses_graph_emulator(settings_from({**ENVIRONMENT, "WHATSAPP_TOKEN": ""}))
    assert uses_graph_emulator(settings_from({**ENVIRONMENT, "WHATSAPP_PHONE_NUMBER_ID": ""}))
