"""Checking that bytes are a valid Ogg Opus file (RFC 3533 pages, RFC 7845 headers)."""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import soundfile


@dataclass(frozen=True)
class OggOpus:
    """What the identification header says, and what decoding the whole file gives."""

    channels: int
    input_sample_rate: int
    seconds: float


def _ogg_crc(page: bytes) -> int:
    """Ogg's CRC-32 (polynomial 0x04C11DB7, not reflected, no final xor)."""
    crc = 0
    for byte in page:
        crc ^= byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7 if crc & 0x80000000 else crc << 1) & 0xFFFFFFFF
    return crc


def _pages(data: bytes) -> list[tuple[int, bytes]]:
    """Each page's header type and body, every page's capture pattern and checksum checked."""
    pages, offset = [], 0
    while offset < len(data):
        assert data[offset : offset + 4] == b"OggS", f"no Ogg page at byte {offset}"
        header_type, checksum, segments = struct.unpack_from("<5xB16xIB", data, offset)
        lacing = data[offset + 27 : offset + 27 + segments]
        end = offset + 27 + segments + sum(lacing)
        page = data[offset:end]
        assert _ogg_crc(page[:22] + bytes(4) + page[26:]) == checksum, f"bad CRC at {offset}"
        pages.append((header_type, page[27 + segments :]))
        offset = end
    return pages


def check_ogg_opus(data: bytes) -> OggOpus:
    """Raise AssertionError unless ``data`` is Ogg Opus; return what it holds."""
    pages = _pages(data)
    (first_type, head), (_, tags) = pages[0], pages[1]
    assert first_type & 0x02, "the first page does not begin the stream"
    assert pages[-1][0] & 0x04, "the last page does not end the stream"
    assert head[:8] == b"OpusHead" and head[8] == 1, head[:9]
    assert tags[:8] == b"OpusTags", tags[:8]
    channels, _pre_skip, rate = struct.unpack_from("<BHI", head, 9)
    with soundfile.SoundFile(io.BytesIO(data)) as decoded:
        assert (decoded.format, decoded.subtype) == ("OGG", "OPUS")
        frames = len(decoded.read(dtype="int16"))
        seconds = frames / decoded.samplerate
    return OggOpus(channels, rate, seconds)
