"""One conversation turn as plain async code, for every interface (CLI, webhooks, benchmarks)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar
from weakref import WeakValueDictionary

from ai_companion import prompts
from ai_companion.database import open_database
from ai_companion.media import MediaStore, MediaType, sniff
from ai_companion.memory import MemoryStore, StoredMessage
from ai_companion.persona import Persona
from ai_companion.providers import ProviderError, Providers
from ai_companion.providers.chat import TextListener
from ai_companion.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
HISTORY_WINDOW = 50  # the latest unsummarised messages a reply is written from
ReplyListener = Callable[["Reply"], Awaitable[object]]


@dataclass
class UserMessage:
    """What the user sent: text and optionally an image and/or a voice note (raw bytes)."""

    text: str = ""
    image: bytes | None = None
    audio: bytes | None = None


@dataclass
class Reply:
    """The companion's answer; media paths point into the data directory."""

    text: str
    mode: str = "text"
    image_path: Path | None = None
    audio_path: Path | None = None
    transcript: str | None = None
    image_description: str | None = None
    notices: list[str] = field(default_factory=list)


class Companion:
    """Runs turns: remember facts → route → activity → memories → respond → summarise."""

    def __init__(
        self,
        providers: Providers,
        memory: MemoryStore,
        media: MediaStore,
        *,
        persona: Persona | None = None,
        clock: Callable[[], datetime] = datetime.now,
        summarise_after: int = 20,
        keep_recent: int = 6,
    ):
        self.providers = providers
        self.memory = memory
        self.media = media
        self.persona = persona or Persona()
        self.clock = clock
        self.summarise_after = summarise_after
        self.keep_recent = keep_recent
        # One lock per conversation with a turn in progress; idle conversations hold none.
        self._turn_locks: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()

    @classmethod
    async def open(
        cls, settings: Settings, *, guard_options: dict[str, float] | None = None, **options
    ) -> Companion:
        """Open memory and provider clients; ``guard_options`` tune breakers and backoff."""
        providers = await Providers.create(settings, **(guard_options or {}))
        try:
            memory = await MemoryStore.open(await open_database(settings))
        except BaseException:
            await providers.aclose()
            raise
        return cls(providers, memory, MediaStore(settings.data_dir / "media"), **options)

    async def aclose(self) -> None:
        await asyncio.gather(self.providers.aclose(), self.memory.close())

    async def __aenter__(self) -> Companion:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def respond(
        self, conversation_id: str, message: UserMessage, on_text: ReplyListener | None = None
    ) -> Reply:
        """Answer one message; turns of one conversation run in order, others concurrently.

        With ``on_text``, the reply's text is streamed: ``on_text`` gets the reply in progress
        each time its text grows (what was heard and seen is already filled in).
        """
        lock = self._turn_locks.get(conversation_id)
        if lock is None:
            lock = self._turn_locks[conversation_id] = asyncio.Lock()
        async with lock:
            return await self._turn(conversation_id, message, on_text)

    async def _turn(
        self, conversation: str, message: UserMessage, on_text: ReplyListener | None
    ) -> Reply:
        notices: list[str] = []
        transcript, description = await self._perceive(message, notices)
        user_text = _compose(message.text, transcript, description)
        if not user_text:
            return Reply("Send me a message, a picture or a voice note.", notices=notices)

        # Route on the user's words only: a picture of a picture is not a request for one.
        spoken = " ".join(part for part in (message.text, transcript) if part)
        routing = self._route(spoken) if spoken else asyncio.sleep(0, result=None)
        _, route, history, summary, memories = await asyncio.gather(
            self._optional(notices, "remember that", self._remember(conversation, user_text)),
            self._optional(notices, "choose a reply mode", routing),
            self.memory.history(conversation, limit=HISTORY_WINDOW),
            self.memory.summary(conversation),
            self.memory.relevant_facts(conversation, user_text),
        )
        mode, image_prompt = route or ("text", "")
        activity = self.persona.activity_at(self.clock())
        system = prompts.character_system(self.persona, activity, memories, summary)
        chat = [{"role": "system", "content": system}, *_as_chat(history)]
        chat.append({"role": "user", "content": user_text})
        await self.memory.add_message(conversation, "user", user_text)

        reply = Reply("", mode=mode, transcript=transcript, image_description=description)
        reply.notices = notices
        # The picture depends only on the request, so draw it while the reply is written.
        drawing = (
            asyncio.ensure_future(
                self._optional(notices, "draw", self._draw(conversation, image_prompt))
            )
            if mode == "image"
            else None
        )
        try:
            reply.text = await self.providers.chat.reply(chat, _growing(reply, on_text))
        except ProviderError as exc:
            if drawing:
                drawing.cancel()
            notices.append(str(exc))
            reply.text, reply.mode = _apology(exc), "text"
            return reply
        await self.memory.add_message(conversation, "assistant", reply.text)
        if drawing:
            reply.image_path = await drawing
        if mode == "voice":
            reply.audio_path = await self._optional(
                notices, "speak", self._speak(conversation, reply.text)
            )
        # Unless the window cut it, the history and this exchange are every unsummarised
        # message: no need to read them all again to know that no summary is due.
        if len(history) == HISTORY_WINDOW or len(history) + 2 > self.summarise_after:
            await self._optional(notices, "summarise", self._summarise(conversation))
        return reply

    async def _perceive(
        self, message: UserMessage, notices: list[str]
    ) -> tuple[str | None, str | None]:
        """Transcribe the voice note and describe the image, concurrently, when present."""
        steps = {}
        if message.audio is not None:
            steps["audio"] = self._optional(
                notices, "transcribe the voice note", self._transcribe(message.audio)
            )
        if message.image is not None:
            steps["image"] = self._optional(
                notices, "look at the image", self._describe(message.image)
            )
        found = dict(zip(steps, await asyncio.gather(*steps.values()), strict=True))
        return found.get("audio"), found.get("image")

    @staticmethod
    async def _optional(notices: list[str], what: str, work: Awaitable[T]) -> T | None:
        """Await a step the turn can do without; a provider failure becomes a notice."""
        (outcome,) = await asyncio.gather(work, return_exceptions=True)
        if isinstance(outcome, ProviderError):
            log.warning("could not %s: %s", what, outcome)
            notices.append(f"could not {what}: {outcome}")
            return None
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    async def _transcribe(self, audio: bytes) -> str:
        media = sniff(audio) or MediaType("audio", ".wav", "audio/wav")
        return await self.providers.transcription.transcribe(
            audio, f"voice{media.suffix}", media.mime
        )

    async def _describe(self, image: bytes) -> str:
        media = sniff(image) or MediaType("image", ".png", "image/png")
        return await self.providers.vision.describe(image, media.mime, prompts.VISION_QUESTION)

    async def _remember(self, conversation: str, text: str) -> int:
        extracted = await self.providers.chat.json_object(prompts.FACTS_SYSTEM, text)
        facts = [f for f in extracted.get("facts", []) if isinstance(f, str)]
        return await self.memory.remember(conversation, facts)

    async def _route(self, text: str) -> tuple[str, str]:
        """The reply mode and, for pictures, what to draw."""
        choice = await self.providers.chat.call_tool(
            prompts.ROUTER_SYSTEM, text, prompts.ROUTER_TOOL
        )
        mode = choice.get("mode") if choice.get("mode") in ("image", "voice") else "text"
        return str(mode), str(choice.get("image_prompt") or text)

    async def _draw(self, conversation: str, prompt: str) -> Path:
        return await self.media.save(conversation, await self.providers.images.generate(prompt))

    async def _speak(self, conversation: str, text: str) -> Path:
        return await self.media.save(conversation, await self.providers.speech.speak(text))

    async def _summarise(self, conversation: str) -> None:
        history = await self.memory.history(conversation, limit=None)
        if len(history) <= self.summarise_after:
            return
        older = history[: -self.keep_recent]
        previous = await self.memory.summary(conversation)
        transcript = "\n".join(f"{m.role}: {m.content}" for m in older)
        if previous:
            transcript = f"{prompts.SUMMARY_LABEL} {previous}\n{transcript}"
        summary = await self.providers.chat.reply(
            [
                {"role": "system", "content": prompts.SUMMARY_SYSTEM},
                {"role": "user", "content": transcript},
            ]
        )
        await self.memory.save_summary(conversation, summary, older[-1].id)


def _compose(text: str, transcript: str | None, description: str | None) -> str:
    parts = [text.strip()]
    if transcript:
        parts.append(f"[Voice note: {transcript}]")
    if description:
        parts.append(f"[Image: {description}]")
    return "\n".join(p for p in parts if p)


def _as_chat(history: list[StoredMessage]) -> list[dict[str, str]]:
    return [{"role": m.role, "content": m.content} for m in history]


def _growing(reply: Reply, on_text: ReplyListener | None) -> TextListener | None:
    """A listener for streamed text that grows ``reply.text`` and passes the reply on."""
    if on_text is None:
        return None

    async def grow(piece: str) -> None:
        reply.text += piece
        await on_text(reply)

    return grow


def _apology(exc: ProviderError) -> str:
    return f"Sorry, I can't answer right now ({exc}). Please try again in a moment."
