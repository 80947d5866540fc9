"""The Chainlit app: ``chainlit run`` loads this file by path (``companion web`` does it for you).

One companion serves every browser tab; each chat session is its own conversation in the
companion's memory. Pictures and voice notes arrive as uploads (or a recording) and replies
show generated pictures and voice inline.
"""

from __future__ import annotations

import asyncio
from contextlib import AsyncExitStack
from pathlib import Path

import chainlit as cl
from chainlit.config import AudioFeature, SpontaneousFileUploadFeature, config

from ai_companion.interfaces.web.turns import recording_wav, shown, user_message
from ai_companion.media import MediaError
from ai_companion.runtime import Session, open_session
from ai_companion.settings import load_settings
from ai_companion.workflow import Reply, UserMessage

config.ui.name = "AI companion"
config.features.spontaneous_file_upload = SpontaneousFileUploadFeature(
    enabled=True, accept=["image/*", "audio/*"], max_files=2, max_size_mb=16
)
config.features.audio = AudioFeature(enabled=True, sample_rate=16000)


class _Running:
    """The one companion session every chat of this process shares, open between start and stop.

    (A plain class: Chainlit loads this file outside ``sys.modules``, which dataclasses need.)
    """

    def __init__(self) -> None:
        self.stack = AsyncExitStack()
        self.session: Session | None = None


_running = _Running()


def _session() -> Session:
    if _running.session is None:
        raise RuntimeError("the companion has not started")
    return _running.session


@cl.on_app_startup
async def start_companion() -> None:
    # load_settings reads the optional .env file.
    settings = await asyncio.to_thread(load_settings)
    _running.session = await _running.stack.enter_async_context(open_session(settings))


@cl.on_app_shutdown
async def stop_companion() -> None:
    _running.session = None
    await _running.stack.aclose()


@cl.on_chat_start
async def greet() -> None:
    session = _session()
    cl.user_session.set("conversation", f"web:{cl.context.session.thread_id}")
    lines = [f"Hi, I'm {session.companion.persona.name}. Write, share a picture or a voice note."]
    if session.banner:
        lines.insert(0, f"*[{session.banner}]*")
    await cl.Message("\n\n".join(lines)).send()


async def _answer(message: UserMessage) -> None:
    """Stream the reply's text into one message, then complete it with any picture or voice."""
    conversation = str(cl.user_session.get("conversation"))
    answer = cl.Message("")

    async def show(reply: Reply) -> None:
        await answer.stream_token(shown(reply), is_sequence=True)

    reply = await _session().companion.respond(conversation, message, on_text=show)
    answer.content = shown(reply)
    if reply.image_path is not None:
        answer.elements.append(
            cl.Image(path=str(reply.image_path), name="picture", display="inline")
        )
    if reply.audio_path is not None:
        answer.elements.append(cl.Audio(path=str(reply.audio_path), name="voice", display="inline"))
    await answer.send()


@cl.on_message
async def on_message(message: cl.Message) -> None:
    uploads = [(Path(e.path), e.mime or "") for e in message.elements if e.path]
    try:
        turn = await user_message(message.content, uploads)
    except MediaError as exc:
        await cl.Message(f"Sorry: {exc}").send()
        return
    await _answer(turn)


@cl.on_audio_start
def start_recording() -> bool:
    cl.user_session.set("recording", [])
    return True


@cl.on_audio_chunk
def keep_chunk(chunk: cl.InputAudioChunk) -> None:
    cl.user_session.get("recording").append(chunk.data)


@cl.on_audio_end
async def answer_recording() -> None:
    chunks = cl.user_session.get("recording") or []
    cl.user_session.set("recording", [])
    if chunks:
        await _answer(UserMessage(audio=recording_wav(chunks, config.features.audio.sample_rate)))
