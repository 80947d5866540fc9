"""The emulator's local engines and scripted responder, without HTTP."""

from __future__ import annotations

import array
import io
import wave

import pytest
from ai_companion.emulator import responder
from ai_companion.emulator.engines import (
    Engines,
    UnsupportedMedia,
    describe_picture,
    draw_picture,
    ogg_opus,
    pcm16_mono,
    tone_wav,
    wav_bytes,
)
from ai_companion.persona import Persona


def test_facts_are_extracted_from_first_person_statements():
    text = "Hi, my name is Omar. I work as a pilot and I love jazz; my favourite colour is teal."
    assert responder.extract_facts(text) == [
        "User's name is Omar",
        "User works as a pilot",
        "User likes jazz",
        "User's favourite colour is teal",
    ]
    assert responder.extract_facts("Tell me about yourself") == []


def test_summaries_keep_the_earlier_summary():
    transcript = "Summary of the conversation so far: Sam likes kites.\nuser: I bought a boat\n"
    transcript += "assistant: Nice!\nuser: It is blue"
    assert responder.summarise(transcript) == (
        "Sam likes kites. The user said: I bought a boat; It is blue."
    )


def test_reply_reads_the_persona_activity_and_memories_from_the_prompt():
    persona = Persona(name="Kai")
    system = (
        "You are Kai, someone.\nRight now you are: fixing a bike.\n"
        "What you remember about the user:\n- User's name is Jo\n- User lives in Rome"
    )
    assert responder.character_reply(system, "hey!").startswith(f"Hi! It's {persona.name}.")
    assert "fixing a bike" in responder.character_reply(system, "What are you up to?")
    assert responder.character_reply(system, "What's my name?") == (
        "Of course I remember: your name is Jo; you live in Rome."
    )


def test_resampling_to_16k_mono_keeps_the_duration():
    stereo_44k = array.array("h", [100, -100] * 44100)  # one second, two channels
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44100)
        out.writeframes(stereo_44k.tobytes())
    assert len(pcm16_mono(buffer.getvalue())) == 16000 * 2


def test_unreadable_audio_is_unsupported():
    with pytest.raises(UnsupportedMedia, match="reads WAV, Ogg, FLAC and MP3"):
        pcm16_mono(b"ID3 definitely not an mp3 file")


def test_ogg_opus_decodes_back_to_the_same_duration():
    wav = tone_wav("one two three")
    assert len(pcm16_mono(ogg_opus(wav))) == len(pcm16_mono(wav))


def test_tone_stand_in_has_one_beep_per_word():
    one, three = tone_wav("hello"), tone_wav("one two three")
    assert len(three) - 44 == 3 * (len(one) - 44)
    assert wav_bytes(array.array("h")).startswith(b"RIFF")


def test_drawings_follow_the_prompt_colours_and_descriptions_see_them():
    assert "mostly purple" in describe_picture(draw_picture("purple purple night", 64, 64))
    assert "portrait" in describe_picture(draw_picture("a tall tower", 40, 90))
    with pytest.raises(UnsupportedMedia):
        describe_picture(b"not an image")


def test_the_stand_in_voice_is_named_when_espeak_is_missing():
    assert "tone" in Engines(espeak=None).voice_name
    assert Engines(espeak="/usr/bin/espeak-ng").voice_name == "espeak-ng"
