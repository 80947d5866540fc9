"""The emulated HTTP APIs of Groq, Together and ElevenLabs as a Starlette application."""

from __future__ import annotations

import base64
import binascii
import time
import uuid
from collections.abc import Awaitable, Callable

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp

from ai_companion.emulator import responder
from ai_companion.emulator.engines import Engines, UnsupportedMedia
from ai_companion.emulator.faults import Faults
from ai_companion.emulator.streaming import CompletionStream

Handler = Callable[[Request], Awaitable[ASGIApp]]


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"message": message, "type": "emulator_error"}}, status)


def _faulty(faults: Faults, handler: Handler) -> Handler:
    """Wrap ``handler`` so it honours the provider's injected faults and bad input."""

    async def endpoint(request: Request) -> ASGIApp:
        status = await faults.inject()
        if status is not None:
            return _error(status, f"injected failure (HTTP {status})")
        try:
            return await handler(request)
        except (UnsupportedMedia, ValueError, KeyError, binascii.Error) as exc:
            return _error(400, str(exc) or type(exc).__name__)

    return endpoint


def _image_parts(body: dict) -> list[bytes]:
    """Decoded data-URL images from the messages of a vision request."""
    images = []
    for message in body.get("messages", []):
        if isinstance(message.get("content"), list):
            for part in message["content"]:
                if part.get("type") == "image_url":
                    images.append(base64.b64decode(part["image_url"]["url"].split(",", 1)[1]))
    return images


def build_app(engines: Engines, faults: dict[str, Faults]) -> Starlette:
    """Routes at the providers' own paths, so the SDKs work unchanged against ``base_url``."""
    groq = faults["groq"]

    async def chat_completions(request: Request) -> ASGIApp:
        body = await request.json()
        images = _image_parts(body)
        if images:
            message = {"role": "assistant", "content": await engines.describe(images[0])}
        else:
            message = responder.complete(body)
        head = {
            "id": f"chatcmpl-{uuid.uuid4().hex}",
            "created": int(time.time()),
            "model": body.get("model", "emulated"),
        }
        if body.get("stream"):
            return CompletionStream({**head, "object": "chat.completion.chunk"}, message, groq)
        finish = "tool_calls" if message.get("tool_calls") else "stop"
        return JSONResponse(
            {
                **head,
                "object": "chat.completion",
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
            }
        )

    async def transcriptions(request: Request) -> Response:
        async with request.form() as form:
            upload = form["file"]
            if isinstance(upload, str):
                raise ValueError("file must be an upload")
            audio = await upload.read()
        return JSONResponse({"text": await engines.transcribe(audio)})

    async def images(request: Request) -> Response:
        body = await request.json()
        picture = await engines.draw(
            body["prompt"], int(body.get("width", 512)), int(body.get("height", 512))
        )
        item = {"b64_json": base64.b64encode(picture).decode(), "index": 0, "type": "b64_json"}
        return JSONResponse(
            {"id": uuid.uuid4().hex, "model": body["model"], "object": "list", "data": [item]}
        )

    async def text_to_speech(request: Request) -> Response:
        body = await request.json()
        opus = request.query_params.get("output_format", "").startswith("opus_")
        audio = await engines.speak(body["text"], opus=opus)
        return Response(audio, media_type="audio/ogg" if opus else "audio/wav")

    routes = [
        ("/openai/v1/chat/completions", "groq", chat_completions),
        ("/openai/v1/audio/transcriptions", "groq", transcriptions),
        ("/v1/images/generations", "together", images),
        ("/v1/text-to-speech/{voice_id}", "elevenlabs", text_to_speech),
    ]
    return Starlette(
        routes=[
            Route(path, _faulty(faults[provider], handler), methods=["POST"])
            for path, provider, handler in routes
        ]
    )
