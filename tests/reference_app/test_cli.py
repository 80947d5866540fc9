"""The ``companion`` command as a real subprocess, with no API keys in its environment."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
COMPANION = str(Path(sys.executable).with_name("companion"))  # the installed console script
SECRETS = ("GROQ_API_KEY", "TOGETHER_API_KEY", "ELEVENLABS_API_KEY", "GROQ_BASE_URL")


@pytest.fixture
def env(tmp_path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if k not in SECRETS}
    clean = {k: v for k, v in clean.items() if not k.startswith(("COMPANION_", "TOGETHER_"))}
    return {**clean, "COMPANION_DATA_DIR": str(tmp_path / "data")}


def companion(env, *args: str, stdin: str = "", cwd: Path | None = None):
    return subprocess.run(
        [COMPANION, *args],
        input=stdin,
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def test_ask_answers_offline_and_says_so(env, tmp_path):
    result = companion(env, "ask", "Hello", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    first, reply = result.stdout.splitlines()[:2]
    assert first.startswith("[offline mode")
    assert reply.startswith("Ava: Hi!")


def test_ask_with_image_and_audio_prints_what_it_understood(env, tmp_path):
    from PIL import Image

    image = tmp_path / "photo.png"
    Image.new("RGB", (40, 30), (200, 30, 30)).save(image)
    audio = DATA / "one_two_three.wav"
    result = companion(env, "ask", "look", "--image", str(image), "--audio", str(audio))
    assert result.returncode == 0, result.stderr
    assert "(heard: one two three)" in result.stdout
    assert "mostly red" in result.stdout


def test_ask_prints_the_path_of_a_generated_picture(env):
    result = companion(env, "ask", "Draw me a picture of the sea")
    assert result.returncode == 0, result.stderr
    line = next(x for x in result.stdout.splitlines() if x.strip().startswith("image: "))
    path = Path(line.split("image: ", 1)[1])
    assert path.is_file() and path.read_bytes().startswith(b"\x89PNG")
    assert path.parent == Path(env["COMPANION_DATA_DIR"]) / "media"


@pytest.mark.parametrize(
    ("option", "name", "message"),
    [
        ("--image", "missing.png", "no such file"),
        ("--image", "one_two_three.wav", "not a supported image file"),
        ("--audio", "notes.txt", "not a supported audio file"),
    ],
)
def test_bad_media_gives_a_clear_error(env, tmp_path, option, name, message):
    (tmp_path / "notes.txt").write_text("just text")
    path = DATA / name if name.endswith(".wav") else tmp_path / name
    result = companion(env, "ask", "hi", option, str(path))
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_cloud_backend_without_keys_is_a_usage_error(env):
    result = companion({**env, "COMPANION_BACKEND": "cloud"}, "ask", "hi")
    assert result.returncode == 2
    assert "GROQ_API_KEY" in result.stderr and "Traceback" not in result.stderr


def test_unreachable_provider_reports_the_breaker_state(env):
    with socket.socket() as closed:  # a loopback port that nobody listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    cloud = {"GROQ_API_KEY": "k", "TOGETHER_API_KEY": "k", "ELEVENLABS_API_KEY": "k"}
    cloud |= {"GROQ_BASE_URL": f"http://127.0.0.1:{port}", "COMPANION_RETRIES": "2"}
    result = companion({**env, **cloud}, "ask", "hi")
    assert result.returncode == 0
    assert "Sorry, I can't answer right now" in result.stdout
    assert "groq breaker open" in result.stdout
    assert "Traceback" not in result.stderr


def test_chat_keeps_context_across_lines_driven_through_stdin(env, tmp_path):
    lines = [
        "Hello",
        "My name is Noor and I live in Cairo.",
        f"/audio {DATA / 'one_two_three.wav'}",
        f"/image {tmp_path / 'nope.png'}",
        "Do you remember where I live?",
        "Can you say that out loud?",
        "/quit",
    ]
    result = companion(env, "chat", stdin="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.splitlines()[0].startswith("[offline mode")
    assert "(heard: one two three)" in out
    assert "error: " in out and "nope.png: no such file" in out  # the chat goes on
    assert "you live in Cairo" in out
    audio = Path(out.split("audio: ", 1)[1].splitlines()[0])
    assert audio.is_file()


def test_chat_ends_cleanly_at_end_of_input(env):
    result = companion(env, "chat", stdin="Hi\n")
    assert result.returncode == 0 and "Ava:" in result.stdout
    assert "Traceback" not in result.stderr


def test_emulator_serves_the_groq_api_on_the_requested_port(env):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [COMPANION, "emulator", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        body = {"model": "m", "messages": [{"role": "user", "content": "Hello"}]}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/openai/v1/chat/completions",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    answer = json.load(response)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert answer["choices"][0]["message"]["content"].startswith("Hi!")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_audio_the_offline_engine_cannot_read_is_explained(env, tmp_path):
    fake_mp3 = tmp_path / "note.mp3"
    fake_mp3.write_bytes(b"ID3" + bytes(200))
    result = companion(env, "ask", "listen", "--audio", str(fake_mp3))
    assert result.returncode == 0, result.stderr
    assert "could not transcribe the voice note" in result.stdout
    assert "reads WAV, Ogg, FLAC and MP3 audio (Format not recognised.)" in result.stdout


def test_verbose_logs_retries_on_stderr(env):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    cloud = {"GROQ_API_KEY": "k", "TOGETHER_API_KEY": "k", "ELEVENLABS_API_KEY": "k"}
    cloud |= {"GROQ_BASE_URL": f"http://127.0.0.1:{port}", "COMPANION_RETRIES": "1"}
    result = companion({**env, **cloud}, "-v", "ask", "hi")
    assert "retrying in" in result.stderr


def test_unusable_data_directory_is_a_clear_error(env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = companion({**env, "COMPANION_DATA_DIR": str(blocker / "data")}, "ask", "hi")
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "Not a directory" in result.stderr
    assert "Traceback" not in result.stderr


def test_chat_ends_at_ctrl_c_while_it_waits_for_a_line(env):
    """Ctrl-C at the prompt ends the chat: the line is read in a thread of its own that the
    program does not wait for at exit (in the loop's default executor, the program outlived
    the signals, waiting for the thread still reading)."""
    chat = subprocess.Popen(
        [COMPANION, "chat"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = b""
    while not seen.endswith(b"you> "):
        chunk = chat.stdout.read1(4096)
        assert chunk, chat.stderr.read().decode()
        seen += chunk
    for _ in range(2):  # asyncio.run: the first cancels the main task, the second raises
        time.sleep(0.3)
        chat.send_signal(signal.SIGINT)
    try:
        chat.wait(timeout=15)
    except subprocess.TimeoutExpired:
        chat.kill()
        pytest.fail("the chat outlived Ctrl-C")
    finally:
        chat.stdin.close()
        chat.stdout.close()
        chat.stderr.close()
