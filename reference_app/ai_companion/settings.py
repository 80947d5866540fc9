"""Settings from environment variables and an optional ``.env`` file, read on demand."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

BACKENDS = ("auto", "local", "cloud")
DATABASE_SCHEMES = ("postgresql://", "postgres://")
KEY_NAMES = ("GROQ_API_KEY", "TOGETHER_API_KEY", "ELEVENLABS_API_KEY")


class SettingsError(ValueError):
    """A setting has an invalid value."""


@dataclass(frozen=True)
class Settings:
    """Everything the companion needs to know about its environment."""

    groq_api_key: str = field(default="", repr=False)
    together_api_key: str = field(default="", repr=False)
    elevenlabs_api_key: str = field(default="", repr=False)
    elevenlabs_voice_id: str = "21m00Tcm4TlvDq8ikWAM"
    chat_model: str = "llama-3.3-70b-versatile"
    router_model: str = "llama-3.1-8b-instant"
    vision_model: str = "meta-llama/llama-4-scout-17b-16e-instruct"
    transcription_model: str = "whisper-large-v3-turbo"
    image_model: str = "black-forest-labs/FLUX.1-schnell-Free"
    tts_model: str = "eleven_flash_v2_5"
    data_dir: Path = field(default_factory=lambda: Path.home() / ".ai_companion")
    # Empty: SQLite in ``data_dir``; a PostgreSQL URL (it may hold a password) to share state.
    database_url: str = field(default="", repr=False)
    backend: str = "auto"
    timeout: float = 20.0
    retries: int = 2
    # Base URLs; empty means each SDK's default endpoint (the local backend fills them in).
    groq_base_url: str = ""
    together_base_url: str = ""
    elevenlabs_base_url: str = ""
    # WhatsApp Cloud API (``companion serve``); secrets stay out of ``repr``.
    whatsapp_verify_token: str = field(default="", repr=False)
    whatsapp_app_secret: str = field(default="", repr=False)
    whatsapp_token: str = field(default="", repr=False)
    whatsapp_phone_number_id: str = ""
    whatsapp_graph_url: str = "https://graph.facebook.com/v21.0"
    whatsapp_dedupe_hours: float = 168.0  # Meta redelivers a webhook for up to 7 days

    @property
    def has_cloud_keys(self) -> bool:
        return all((self.groq_api_key, self.together_api_key, self.elevenlabs_api_key))

    @property
    def offline(self) -> bool:
        """True when the local emulator stands in for the cloud providers."""
        return self.backend == "local" or (self.backend == "auto" and not self.has_cloud_keys)

    def with_base_url(self, base_url: str) -> Settings:
        """Point every provider at one server (the emulator) with placeholder keys."""
        return replace(
            self,
            groq_api_key=self.groq_api_key or "offline",
            together_api_key=self.together_api_key or "offline",
            elevenlabs_api_key=self.elevenlabs_api_key or "offline",
            groq_base_url=base_url,
            together_base_url=base_url,
            elevenlabs_base_url=base_url,
        )


_ENV_FIELDS = {
    "GROQ_API_KEY": "groq_api_key",
    "TOGETHER_API_KEY": "together_api_key",
    "ELEVENLABS_API_KEY": "elevenlabs_api_key",
    "ELEVENLABS_VOICE_ID": "elevenlabs_voice_id",
    "COMPANION_CHAT_MODEL": "chat_model",
    "COMPANION_ROUTER_MODEL": "router_model",
    "COMPANION_VISION_MODEL": "vision_model",
    "COMPANION_TRANSCRIPTION_MODEL": "transcription_model",
    "COMPANION_IMAGE_MODEL": "image_model",
    "COMPANION_TTS_MODEL": "tts_model",
    "COMPANION_DATA_DIR": "data_dir",
    "COMPANION_DATABASE_URL": "database_url",
    "COMPANION_BACKEND": "backend",
    "COMPANION_TIMEOUT": "timeout",
    "COMPANION_RETRIES": "retries",
    "WHATSAPP_VERIFY_TOKEN": "whatsapp_verify_token",
    "WHATSAPP_APP_SECRET": "whatsapp_app_secret",
    "WHATSAPP_TOKEN": "whatsapp_token",
    "WHATSAPP_PHONE_NUMBER_ID": "whatsapp_phone_number_id",
    "WHATSAPP_GRAPH_URL": "whatsapp_graph_url",
    "WHATSAPP_DEDUPE_HOURS": "whatsapp_dedupe_hours",
}

# Settings that are not strings; a failed conversion raises ValueError.
_CONVERSIONS: dict[str, Callable[[str], object]] = {
    "data_dir": lambda value: Path(value).expanduser(),
    "timeout": float,
    "retries": int,
    "whatsapp_dedupe_hours": float,
}


def parse_dotenv(text: str) -> dict[str, str]:
    """Parse ``KEY=value`` lines, ignoring blanks, comments and an ``export`` prefix."""
    values: dict[str, str] = {}
    for raw in text.splitlines():
        line = raw.strip().removeprefix("export ").strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def settings_from(values: Mapping[str, str]) -> Settings:
    """Build settings from a mapping of environment variable names to strings."""
    kwargs: dict[str, object] = {}
    for env_name, attr in _ENV_FIELDS.items():
        if values.get(env_name):
            convert = _CONVERSIONS.get(attr, str)
            try:
                kwargs[attr] = convert(values[env_name])
            except ValueError:
                raise SettingsError(
                    f"invalid setting: {env_name}={values[env_name]!r} is not a number"
                ) from None
    backend = str(kwargs.get("backend", "auto")).lower()
    if backend not in BACKENDS:
        choices = ", ".join(BACKENDS)
        raise SettingsError(f"COMPANION_BACKEND must be one of {choices}, not {backend!r}")
    kwargs["backend"] = backend
    url = str(kwargs.get("database_url", ""))
    if url and not url.startswith(DATABASE_SCHEMES):
        raise SettingsError("COMPANION_DATABASE_URL must be a postgresql:// URL (unset: SQLite)")
    return Settings(**kwargs)  # type: ignore[arg-type]


def load_settings(dotenv: Path | None = None) -> Settings:
    """Read ``os.environ`` over an optional ``.env`` (blocking: call before the loop starts)."""
    path = dotenv if dotenv is not None else Path(".env")
    file_values = parse_dotenv(path.read_text()) if path.is_file() else {}
    values = {**file_values, **os.environ}
    settings = settings_from(values)
    if settings.backend == "cloud" and not settings.has_cloud_keys:
        missing = [name for name in KEY_NAMES if not values.get(name)]
        raise SettingsError(f"COMPANION_BACKEND=cloud needs {', '.join(missing)}")
    return settings
