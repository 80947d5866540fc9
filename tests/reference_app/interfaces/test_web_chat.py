"""The Chainlit web chat in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import aiofiles
import pytest
from ai_companion.emulator.engines import draw_picture

# CI installs the 'web' extra and Chromium: there a missing piece must fail, not skip.
IN_CI = os.environ.get("CI") == "true"
if IN_CI:
    import playwright.async_api as playwright
else:
    playwright = pytest.importorskip("playwright.async_api", reason="needs the 'web' extra")

CHROMIUM = Path("/usr/bin/chromium")
DATA = Path(__file__).parents[1] / "data"
FIXTURES = Path(__file__).parent / "fixtures"
RECORD_REPLY_TEXTS = (FIXTURES / "record_reply_texts.js").read_text()
AUDIO_DURATION = (FIXTURES / "audio_duration.js").read_text()
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
    # A fake microphone (permission granted) that plays the test's spoken recording.
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
    f"--use-file-for-fake-audio-capture={DATA / 'one_two_three.wav'}",
]
COMPANION = str(Path(sys.executable).with_name("companion"))
pytestmark = [
    pytest.mark.skipif(
        not IN_CI and not CHROMIUM.exists(), reason="needs Debian's chromium package"
    ),
    # Not imported here: importing Chainlit writes its config into the working directory.
    pytest.mark.skipif(
        not IN_CI and not importlib.util.find_spec("chainlit"), reason="needs the 'web' extra"
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def web_url(tmp_path: Path):
    """``companion web`` as a subprocess on loopback, offline, until the test ends."""
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("COMPANION_", "GROQ_", "TOGETHER_", "ELEVENLABS_", "CHAINLIT_"))
    }
    env["COMPANION_DATA_DIR"] = str(tmp_path / "data")
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(
        [COMPANION, "web", "--port", str(port)], env=env, cwd=tmp_path, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(
                        "companion web did not start:\n" + (tmp_path / "web.log").read_text()
                    )
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


@pytest.fixture
async def browser(blockbuster):
    # Playwright (the test's driver, not the app under test: that runs in its own process)
    # stats its bundled driver once when starting; let it, and nothing else.
    blockbuster.functions["os.stat"].can_block_in(
        "playwright/_impl/_driver.py", "compute_driver_executable"
    )
    async with playwright.async_playwright() as driver:
        launched = await driver.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield launched
        finally:
            await launched.close()


async def visit(browser, url: str):
    """A new visitor's page on the chat, greeted; requests off loopback (web fonts) are dropped."""
    context = await browser.new_context(
        viewport={"width": 1100, "height": 900}, permissions=["microphone"]
    )
    await context.route(
        lambda address: not address.startswith(url + "/"), lambda route: route.abort()
    )
    page = await context.new_page()
    await page.goto(url)
    greeting = page.locator('[data-step-type="assistant_message"]').first
    await playwright.expect(greeting).to_contain_text("Hi, I'm Ava", timeout=30_000)
    return page


@pytest.fixture
async def page(browser, web_url: str):
    return await visit(browser, web_url)


async def say(page, text: str, *files: dict) -> None:
    """Attach ``files``, type ``text`` and send; wait until the upload is done first."""
    if files:
        await page.locator("#upload-button-input").set_input_files(list(files))
    await page.locator("#chat-input").fill(text)
    submit = page.locator("#chat-submit")
    await playwright.expect(submit).to_be_enabled(timeout=15_000)
    await submit.click()


async def screenshot(page, path: Path) -> None:
    async with aiofiles.open(path, "wb") as file:
        await file.write(await page.screenshot())
    async with aiofiles.open(path, "rb") as file:
        assert (await file.read(8)) == b"\x89PNG\r\n\x1a\n"


async def test_chat_in_a_browser(page, tmp_path, spoken_wav):
    replies = page.locator('[data-step-type="assistant_message"]')
    await playwright.expect(replies.first).to_contain_text("offline mode")

    await say(page, "Hello! My name is Lea.")
    await playwright.expect(replies.nth(1)).to_contain_text("Hi! It's Ava.", timeout=30_000)

    # Pillow encodes synchronously.
    picture = await asyncio.to_thread(draw_picture, "red red red", 96, 64)
    await say(
        page, "What do you see?", {"name": "red.png", "mimeType": "image/png", "buffer": picture}
    )
    await playwright.expect(replies.nth(2)).to_contain_text("saw: A", timeout=30_000)
    await playwright.expect(replies.nth(2)).to_contain_text("mostly red")
    await playwright.expect(replies.nth(2)).to_contain_text("Thanks for the picture!")
    await screenshot(page, tmp_path / "web-chat-picture.png")

    voice = {"name": "note.wav", "mimeType": "audio/wav", "buffer": spoken_wav}
    await say(page, "", voice)
    await playwright.expect(replies.nth(3)).to_contain_text("heard: one two three", timeout=30_000)

    await say(page, "Please draw me a picture of a sunny beach")
    drawn = replies.nth(4).locator('img[alt="picture"]')
    await playwright.expect(drawn).to_be_visible(timeout=30_000)
    await playwright.expect(drawn).to_have_js_property("naturalWidth", 512)  # really loaded
    await say(page, "Send me a voice message please")
    voice_reply = replies.nth(5).locator("audio")
    await playwright.expect(voice_reply).to_have_count(1, timeout=30_000)
    await playwright.expect(voice_reply).to_have_attribute("src", re.compile("/project/file/"))
    # Chromium reads the Ogg Opus voice: its duration is known once the metadata is loaded.
    seconds = await voice_reply.evaluate(AUDIO_DURATION)
    assert seconds > 1  # a sentence of the stand-in voice, one beep a word

    await say(page, "Do you remember my name?")
    await playwright.expect(replies.nth(6)).to_contain_text("Lea", timeout=30_000)

    await screenshot(page, tmp_path / "web-chat-end.png")


async def test_a_reply_grows_word_by_word_before_it_is_complete(page):
    await page.evaluate(RECORD_REPLY_TEXTS, 1)
    await say(page, "Tell me about the mountains, the lakes and the long walks by the sea.")
    reply = page.locator('[data-step-type="assistant_message"]').nth(1)
    # The emulated reply quotes the message, then ends with one of its follow-ups.
    complete = re.compile(
        r'You said "Tell me about .*"\. (Tell me more\?|How .*\?|What .*\?|I.d love .*\.)$'
    )
    await playwright.expect(reply).to_have_text(complete, timeout=30_000)
    final = await reply.inner_text()
    texts = await page.evaluate("window.replyTexts")
    words = final.split()
    growing = [text.split() for text in texts]
    # The message showed shorter beginnings of the final text first, never anything else.
    assert len(growing) >= 3 and all(seen == words[: len(seen)] for seen in growing), texts
    assert len(growing[0]) < len(words) // 2, texts


async def test_each_chat_session_is_its_own_conversation(browser, page, web_url):
    replies = page.locator('[data-step-type="assistant_message"]')
    await say(page, "My name is Noor.")
    await playwright.expect(replies.nth(1)).to_contain_text("your name is Noor", timeout=30_000)

    other = await visit(browser, web_url)
    await say(other, "Do you remember my name?")
    answer = other.locator('[data-step-type="assistant_message"]').nth(1)
    await playwright.expect(answer).to_contain_text("haven't told me much", timeout=30_000)


async def test_a_voice_recording_is_transcribed_and_answered(page):
    # The record button has no id: it is the one in the toolbar next to the upload button.
    microphone = page.locator("div:has(> span > #upload-button) > div > button")
    await microphone.click()  # start recording from the fake microphone
    await page.wait_for_timeout(3000)
    await microphone.click()  # stop: the recording is sent
    reply = page.locator('[data-step-type="assistant_message"]').nth(1)
    await playwright.expect(reply).to_contain_text("heard: ", timeout=30_000)
    await playwright.expect(reply).to_contain_text("I listened to your voice note")
    # Chromium's capture processing (gain, resampling) garbles the words, so only check
    # that something was recognised: the exact transcription is tested from the same PCM.
    await playwright.expect(reply).not_to_contain_text("nothing recognised")
