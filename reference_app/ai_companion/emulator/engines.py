"""Local stand-ins for the cloud models: pocketsphinx, espeak-ng (or a tone) and Pillow.

Audio is decoded and encoded with soundfile (libsndfile, with libopus, ships in its wheel).
"""

from __future__ import annotations

import array
import asyncio
import io
import math
import shutil
import threading
import wave
import zlib
from dataclasses import dataclass

import numpy
import soundfile
from PIL import Image, ImageDraw, ImageStat

SAMPLE_RATE = 16000
COLOURS = {
    "red": (200, 40, 40),
    "orange": (240, 140, 30),
    "yellow": (240, 210, 50),
    "green": (50, 160, 70),
    "blue": (40, 90, 200),
    "purple": (130, 60, 170),
    "pink": (240, 130, 180),
    "brown": (120, 80, 40),
    "black": (20, 20, 20),
    "white": (240, 240, 240),
    "grey": (128, 128, 128),
}


_decoder_lock = threading.Lock()
_decoder = None


def _recognise(pcm: bytes) -> str:
    """pocketsphinx's transcript of 16 kHz mono PCM. The decoder (its English model takes
    about a second to load) is made once per process and used by one thread at a time."""
    global _decoder
    with _decoder_lock:
        if _decoder is None:
            import pocketsphinx

            _decoder = pocketsphinx.Decoder()
        _decoder.start_utt()
        _decoder.process_raw(pcm, full_utt=True)
        _decoder.end_utt()
        hypothesis = _decoder.hyp()
    return hypothesis.hypstr if hypothesis else ""


class UnsupportedMedia(ValueError):
    """The input cannot be handled by the local engine."""


def closest_colour(rgb: tuple[int, int, int]) -> str:
    return min(
        COLOURS, key=lambda name: sum((a - b) ** 2 for a, b in zip(COLOURS[name], rgb, strict=True))
    )


def wav_bytes(samples: array.array, rate: int = SAMPLE_RATE) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()


def tone_wav(text: str) -> bytes:
    """A stand-in for speech: one short beep per word, pitched by the word."""
    samples = array.array("h")
    for word in text.split()[:40]:
        pitch = 300 + zlib.crc32(word.encode()) % 500
        samples.extend(
            int(6000 * math.sin(2 * math.pi * pitch * i / SAMPLE_RATE)) for i in range(2400)
        )
        samples.extend([0] * 800)
    return wav_bytes(samples)


def pcm16_mono(audio: bytes) -> bytes:
    """Decode audio (WAV, Ogg Opus or Vorbis, FLAC, MP3) into 16 kHz mono 16-bit samples, as
    pocketsphinx expects."""
    try:
        samples, rate = soundfile.read(io.BytesIO(audio), dtype="int16", always_2d=True)
    except soundfile.LibsndfileError as exc:
        raise UnsupportedMedia(
            f"offline transcription reads WAV, Ogg, FLAC and MP3 audio ({exc.error_string})"
        ) from None
    mono = samples[:, 0]
    return mono[numpy.arange(len(mono) * SAMPLE_RATE // rate) * rate // SAMPLE_RATE].tobytes()


def ogg_opus(audio: bytes) -> bytes:
    """Audio as Ogg Opus, 16 kHz mono: the voice-note format WhatsApp plays."""
    out = io.BytesIO()
    samples = numpy.frombuffer(pcm16_mono(audio), dtype=numpy.int16)
    soundfile.write(out, samples, SAMPLE_RATE, format="OGG", subtype="OPUS")
    return out.getvalue()


def _voice(spoken: bytes, text: str, opus: bool) -> bytes:
    """``spoken`` (WAV; if empty, the stand-in tone for ``text``) as WAV or Ogg Opus."""
    audio = spoken or tone_wav(text)
    return ogg_opus(audio) if opus else audio


def draw_picture(prompt: str, width: int, height: int) -> bytes:
    """A labelled sketch whose colours and shapes follow the words of ``prompt``."""
    words = prompt.lower().split()
    named = [COLOURS[w] for w in words if w in COLOURS]
    sky = named[0] if named else (135, 190, 235)
    image = Image.new("RGB", (width, height), sky)
    draw = ImageDraw.Draw(image)
    horizon, r = height * 2 // 3, min(width, height) // 8
    if {"sunset", "sunrise"} & set(words):
        draw.ellipse(
            (width // 2 - r, horizon - r, width // 2 + r, horizon + r), fill=(250, 170, 40)
        )
    elif {"sun", "sunny", "beach", "summer"} & set(words):
        draw.ellipse((width - 3 * r, r, width - r, 3 * r), fill=(250, 220, 60))
    ground = named[1] if len(named) > 1 else (70, 140, 60)
    draw.rectangle((0, horizon, width, height), fill=ground)
    seed = zlib.crc32(prompt.encode())
    for i in range(3):
        x = (seed >> (i * 7)) % max(1, width - 40)
        draw.rectangle((x, height // 2, x + 30, horizon), fill=(90, 60, 40))
    draw.text((10, 10), f"offline sketch: {prompt[:50]}", fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def describe_picture(data: bytes) -> str:
    """A plain description from pixel statistics: size, shape, main colour, brightness."""
    try:
        image = Image.open(io.BytesIO(data)).convert("RGB")
    except OSError as exc:
        raise UnsupportedMedia(f"cannot read the image ({exc})") from None
    width, height = image.size
    shape = "square" if width == height else "landscape" if width > height else "portrait"
    level = sum(ImageStat.Stat(image).mean) / 3
    brightness = "bright" if level > 150 else "dark" if level < 70 else "muted"
    counts: dict[str, int] = {}
    for count, rgb in image.resize((32, 32)).getcolors(1024) or []:
        name = closest_colour(rgb)
        counts[name] = counts.get(name, 0) + count
    main = max(counts, key=counts.__getitem__)
    return f"A {brightness} {shape} picture, {width}x{height} pixels, mostly {main}."


@dataclass
class Engines:
    """The engines available on this machine; sync methods are meant for worker threads."""

    espeak: str | None

    @classmethod
    def detect(cls) -> Engines:
        """Look for espeak-ng on PATH (blocking: call before the loop or in a thread)."""
        return cls(espeak=shutil.which("espeak-ng"))

    @property
    def voice_name(self) -> str:
        return "espeak-ng" if self.espeak else "a generated tone (espeak-ng is not installed)"

    def transcribe_sync(self, audio: bytes) -> str:
        return _recognise(pcm16_mono(audio))

    async def transcribe(self, audio: bytes) -> str:
        # pocketsphinx decodes synchronously in C; a worker thread keeps the loop free.
        return await asyncio.to_thread(self.transcribe_sync, audio)

    async def speak(self, text: str, *, opus: bool = False) -> bytes:
        """Speech for ``text`` as WAV, or as Ogg Opus."""
        spoken = await self._espeak(text) if self.espeak else b""
        # The stand-in tone and Opus encoding are CPU work: keep them off the loop.
        return await asyncio.to_thread(_voice, spoken, text, opus)

    async def _espeak(self, text: str) -> bytes:
        process = await asyncio.create_subprocess_exec(
            str(self.espeak),
            "-v",
            "en-us",
            "--stdout",
            text,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        audio, _ = await process.communicate()
        return audio if process.returncode == 0 else b""

    async def draw(self, prompt: str, width: int, height: int) -> bytes:
        # Pillow renders and encodes synchronously.
        return await asyncio.to_thread(draw_picture, prompt, width, height)

    async def describe(self, image: bytes) -> str:
        # Pillow decodes and measures synchronously.
        return await asyncio.to_thread(describe_picture, image)
