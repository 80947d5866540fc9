"""A safe fix keeps real projects' own test suites as they were: test, `deblock fix`, test again.

    python bench/project_tests.py                     # every suite below (SUITES), from PyPI
    python bench/project_tests.py --only starlette
    python bench/project_tests.py --only aiohttp --fix-tests   # fix its tests and examples too
    python bench/project_tests.py --only trio anyio fastapi asgiref --fix-tests   # fixes in tests
    python bench/project_tests.py --only janus aiomisc mcp --fix-tests   # fixes in tests
    python bench/project_tests.py --only aioshutil aioconsole aiofile --fix-tests   # fixes in tests
    python bench/project_tests.py --only python-engineio   # fixes in its package
    python bench/project_tests.py --only httpx-ws nbclient jupyter-client --fix-tests   # in tests
    python bench/project_tests.py --only jupyter-server --fix-tests   # fixes in tests
    python bench/project_tests.py --only saq aiogram-dialog   # fixes in their packages
    python bench/project_tests.py --only aiogram   # fixes in its package
    python bench/project_tests.py --only sphinx-autobuild rocketry   # fixes in their packages
    python bench/project_tests.py --only mcp-server-git replicate ollama --fix-tests   # in tests
    python bench/project_tests.py --only python-telegram-bot bandersnatch --fix-tests   # in tests
    python bench/project_tests.py --only mcp-server-time mcp-server-fetch --fix-tests   # in tests
    python bench/project_tests.py --only pyrate-limiter mode-streaming sanic --fix-tests   # tests
    python bench/project_tests.py --only arxiv-mcp-server ormar --fix-tests   # in tests
    python bench/project_tests.py --only opsdroid   # fixes in its package
    python bench/project_tests.py --only telnetlib3 openai anthropic openai-agents --fix-tests
    python bench/project_tests.py --only aioboto3 limits instructor pyzmq --fix-tests   # in tests
    python bench/project_tests.py --only google-genai   # fixes in its package
    python bench/project_tests.py --only prometheus-async --fix-tests   # fixes in its tests
    python bench/project_tests.py --only aiohttp-devtools   # fixes in its package
    python bench/project_tests.py --only simpervisor zigpy --fix-tests   # fixes in their tests
    python bench/project_tests.py --only jupyter-archive esbonio jupytext --fix-tests   # in tests
    python bench/project_tests.py --only shiny langgraph-checkpoint-sqlite --fix-tests   # in tests
    python bench/project_tests.py --only aiocsv --fix-tests   # fixes in its tests
    python bench/project_tests.py --only redis --fix-tests   # in tests; a Redis server on :6379
    python bench/project_tests.py --only python-kasa --fix-tests   # fixes in its tests
    python bench/project_tests.py --only aiosmtplib aiohttp-session asyncclick --fix-tests   # tests
    python bench/project_tests.py --only hypercorn trio-websocket sse-starlette httpcore --fix-tests
    python bench/project_tests.py --only aiotinydb   # fixes in its package
    python bench/project_tests.py --only gql asyncpraw groq --fix-tests   # fixes in their tests
    python bench/project_tests.py --source DIR --package PKG --python PY   # a local project
    python bench/project_tests.py --json
    python bench/project_tests.py --only starlette --unsafe-fixes   # the unsafe fixes too

Each project's sdist (it ships its tests) is copied afresh into the work dir (default
bench/.work/tests-NAME) and installed, editable, into a throwaway virtual environment with
its test dependencies and deblock from this repository (or run by ``--python``, which must
have them all). Its suite runs with a JUnit report; then that environment's `deblock fix`
(safe fixes only: twins and types learned from the suite's own installed libraries, as a
user's run in the project's venv learns them) rewrites the package's own code, not its
tests (``--fix-tests``: the whole project, its tests included), and the suite runs again.
Every test must end as it did before (a test that already failed may fail again). Exits 1
when one changed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import corpus
from common import (
    DEFAULT_CORPUS_DIR,
    DEFAULT_WORK_DIR,
    dump_json,
    machine,
    print_machine,
    run,
    table,
)
from fix_robustness import fixes_applied

BENCH = Path(__file__).resolve().parent  # holds import_origin.py, the tests' plugin
REPOSITORY = BENCH.parent  # deblock's, installed into each suite's environment

# aiohttp's whole suite takes ~17 min here: the files its safe fixes touch (with the
# fixes applied to its tests) and three neighbours (its package gets no safe fix).
AIOHTTP_TESTS = tuple(
    f"tests/test_{name}.py"
    for name in (
        "client_functional",
        "client_request",
        "proxy_functional",
        "urldispatch",
        "web_functional",
        "web_sendfile_functional",
        "web_urldispatcher",
        "client_session",
        "cookiejar",
        "web_response",
    )
)


@dataclass(frozen=True)
class Suite:
    """A project whose tests run offline: its pin, package, and what its tests need."""

    version: str
    package: str
    requirements: tuple[str, ...] = ()
    pytest_args: tuple[str, ...] = ()
    install_env: tuple[tuple[str, str], ...] = ()  # variables its install needs


SUITES = {
    "starlette": Suite(
        "1.10.0",
        "starlette",
        (
            ".[full]",
            "pytest",
            "httpx2[zstd]",
            "trio",
            "blockbuster",
            "importlib-metadata",
            "opentelemetry-sdk",
        ),
    ),
    "uvicorn": Suite(
        "0.54.0",
        "uvicorn",
        (
            ".[standard]",
            "pytest",
            "pytest-mock",
            "trustme",
            "cryptography",
            "httpx2",
            "a2wsgi",
            "wsproto",
            "websockets",
        ),
        ("-o", "addopts=", "--ignore=tests/benchmarks"),  # its addopts need pytest-xdist
    ),
    "aiohttp": Suite(
        "3.14.5",
        "aiohttp",
        (
            ".[speedups]",
            "pytest",
            "pytest-mock",
            "pytest-timeout",
            "freezegun",
            "trustme",
            "blockbuster",
            "proxy.py",
            "gunicorn",
            "uvloop",
            "isal",
            "zlib-ng",
            "coverage",
            "aiofiles",  # the fixed examples import it
        ),
        (
            "-o",
            "addopts=",  # its addopts need pytest-xdist and pytest-cov
            "-m",
            "not dev_mode and not autobahn",  # internal: filesystem-dependent, fine on Linux
            *AIOHTTP_TESTS,
        ),
        (("AIOHTTP_NO_EXTENSIONS", "1"),),  # pure Python: no C build
    ),
    # Its tests live inside the package; the optional tools it checks against (mypy,
    # pyright, black, ...) are skipped, not installed.
    "trio": Suite(
        "0.35.0",
        "src/trio",
        (
            ".",
            "pytest",
            "trustme",
            "pyOpenSSL",
            "cryptography",
            "async_generator",
            "jedi",
            "pylint",
            "astor",
            "pyyaml",
        ),
        ("--run-slow", "--skip-optional-imports", "src/trio"),
    ),
    "anyio": Suite(
        "4.16.0",
        "src/anyio",
        (
            ".[trio]",
            "pytest",
            "pytest-mock",
            "pytest-timeout",
            "blockbuster",
            "hypothesis",
            "psutil",
            "trustme",
            "truststore",
            "uvloop",
        ),
        (
            "-m",
            "not network",  # needs the Internet
            # "localhost" may not resolve over IPv6 (not here): its server_sock fixture
            # then leaks a socket, whose ResourceWarning fails whichever test collects it.
            "-k",
            "not (TestTCPStream and (ipv6 or dualstack or multi))",
        ),
    ),
    "fastapi": Suite(
        "0.165.0",
        "fastapi",
        (
            ".[all]",
            "pytest",
            "pytest-timeout",
            "pytest-xdist",  # its tests use the xdist_group marker; they run in one process here
            "anyio[trio]",
            "coverage",
            "dirty-equals",
            "inline-snapshot",
            "a2wsgi",
            "flask",
            "pwdlib[argon2]",
            "pyjwt",
            "sqlmodel",
            "strawberry-graphql",
            "typer",
            "python-slugify",
            "logfire",
            "opentelemetry-instrumentation-fastapi",
            "sentry-sdk",
        ),
        ("tests",),
    ),
    "textual": Suite(
        "8.2.8",
        "src/textual",
        (
            ".[syntax]",
            "pytest",
            "pytest-asyncio",
            "pytest-textual-snapshot",  # a snapshot test outside snapshot_tests/
            "pytest-xdist",  # its tests use the xdist_group marker; they run in one process here
            "textual-dev",  # devtools
        ),
        ("--ignore=tests/snapshot_tests", "tests"),  # ~1,000 app screenshots: too slow here
    ),
    # Not in the corpus (kept apart from it: SUITES_ONLY_DIR). Its fixes are in its tests
    # (``--fix-tests``): functions asgiref's decorators make the other kind, a sync sleep
    # that holds the loop before a task is cancelled.
    "asgiref": Suite("3.13.0", "asgiref", (".", "pytest", "pytest-asyncio", "packaging")),
    # Not in the corpus. Its safe fixes are in its package: `PathIO`, the file system
    # behind its FTP server, gets its `pathlib` calls run in threads.
    "aioftp": Suite(
        "0.28.3",
        "src/aioftp",
        (
            ".",
            "pytest",
            "pytest-asyncio",
            "pytest-mock",
            "async_timeout",
            "siosocks",
            "trustme",
        ),
        # Its addopts stop at the first failure (-x) and need pytest-cov; the rest kept.
        ("-o", "addopts=", "-p", "no:anyio", "--import-mode=importlib"),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the plain file and
    # os calls that prepare and check what its async API did, ~100 of them.
    "aiofiles": Suite("25.1.0", "src/aiofiles", (".", "pytest", "pytest-asyncio")),
    # Not in the corpus. Its tests live inside the package: the safe fixes are its OIDC
    # refresh writing the CA file (kube_config.py) and three temp-dir calls in its tests.
    "kubernetes_asyncio": Suite(
        "36.1.0",
        "kubernetes_asyncio",
        (".", "pytest"),
        (
            "--ignore=kubernetes_asyncio/dynamic",  # imports e2e_test, not in the sdist
            # reads examples/nginx-deployment.yaml, not in the sdist
            "--deselect=kubernetes_asyncio/utils/create_from_yaml_test.py::"
            "CreateFromYamlTest::test_create_from_yaml",
            "kubernetes_asyncio",
        ),
    ),
    # Not in the corpus. A uv workspace: the package is fastmcp_slim/fastmcp. Its safe fixes
    # run its CLI's and uv environment's `subprocess.run` calls in threads (tests/cli), and
    # with ``--fix-tests`` sleeps and a write in the tests below. fastmcp_tasks needs
    # pydocket for Python 3.12+ (not here): its tests are left out.
    "fastmcp": Suite(
        "4.2.3",
        "fastmcp_slim/fastmcp",
        (
            "./fastmcp_slim[client,server,apps]",
            "./fastmcp_remote",
            "pytest",
            "pytest-asyncio",
            "pytest-env",
            "pytest-timeout",
            "dirty-equals",
            "inline-snapshot[dirty-equals]",
            "psutil",
            "fastapi",
            "httpx",
            "opentelemetry-sdk",
        ),
        (
            "--ignore=tests/cli/test_tasks.py",
            # downloads GitHub's OpenAPI description
            "--deselect=tests/server/providers/openapi/test_openapi_performance.py::"
            "TestOpenAPIPerformance::test_github_api_schema_performance",
            "tests/cli",
            "tests/utilities",
            "tests/fs",
            "tests/server/providers",
            "tests/test_mcp_config.py",
        ),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the plain file
    # reads and temporary files that check what its async file API wrote (test_io.py,
    # test_profiler.py); the files beside them run too.
    "aiomisc": Suite(
        "18.0.37",
        "aiomisc",
        (".", "pytest", "aiomisc-pytest", "async-timeout"),
        (
            "tests/test_io.py",
            "tests/test_io_extended.py",
            "tests/test_profiler.py",
            "tests/test_thread_pool.py",
            "tests/test_utils.py",
        ),
    ),
    # Not in the corpus. Its safe fix is in its tests (``--fix-tests``): the helper every
    # async test closes its queue with polls the queue's thread lock with `time.sleep`.
    "janus": Suite(
        "2.0.0",
        "janus",
        (".", "pytest", "pytest-asyncio", "pytest-benchmark"),
        ("-o", "addopts=", "tests"),  # its addopts need pytest-cov
    ),
    # Not in the corpus. Its one safe fix in its package, the agent-forwarding listener's
    # `tempfile.TemporaryDirectory` (connection.py, run by its channel tests with a real
    # ssh-agent), passed them but lost listeners under concurrent agent requests: declined
    # since (bench/README.md). The forwarding and agent tests run too.
    "asyncssh": Suite(
        "2.24.1",
        "asyncssh",
        (".[bcrypt]", "pytest", "pyOpenSSL", "aiofiles"),
        ("tests/test_channel.py", "tests/test_agent.py", "tests/test_forward.py"),
    ),
    # Not in the corpus. Its safe fixes (``--fix-tests``) are a Windows-only `Popen` in its
    # package and, in its stdio transport tests, a `Popen` and a temporary file's seek and
    # read, under its tests' blockbuster.
    "mcp": Suite(
        "2.3.0",
        "src/mcp",
        (
            ".[cli]",
            "pytest",
            "pytest-examples",
            "trio",
            "inline-snapshot",
            "dirty-equals",
            "logfire",
            "opentelemetry-sdk",
            "blockbuster",
            "coverage",  # its stdio test server imports it
        ),
        (
            "tests/interaction/transports",
            "tests/transports",
            "tests/server/test_stdio.py",
            "tests/client/test_stdio.py",
        ),
    ),
    # Not in the corpus. Its tests live inside the package: the safe fix closes a temporary
    # file in a thread in a perf test (perf.py), which runs each case for 2 s.
    "aiosqlite": Suite(
        "0.22.1",
        "aiosqlite",
        (".", "pytest"),
        ("aiosqlite/tests/smoke.py", "aiosqlite/tests/perf.py"),
    ),
    # Not in the corpus. Its safe fixes are in its package: the ASGI driver's static files
    # (`os.path.exists` and the file's read, each in a thread; asgi.py).
    "python-engineio": Suite(
        "4.15.1",
        "src/engineio",
        (
            ".",
            "pytest",
            "pytest-asyncio",
            "aiohttp",
            "tornado",
            "requests",
            "websocket-client",
        ),
        ("-p", "no:logging", "tests"),  # as its tox.ini runs it, less pytest-cov
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the plain file and
    # os calls that prepare and check what its async shutil did.
    "aioshutil": Suite(
        "1.6",
        "aioshutil",
        (".", "pytest", "pytest-asyncio"),
        ("-o", "addopts=", "tests"),  # its addopts need pytest-cov
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``).
    "aioconsole": Suite(
        "0.8.2",
        "aioconsole",
        (".", "pytest", "pytest-asyncio", "pytest-repeat", "uvloop"),  # its tests run on both loops
        # its addopts need pytest-cov; --count 2 kept (each test twice)
        ("-o", "addopts=--strict-markers --count 2", "tests"),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``).
    "aiofile": Suite(
        "3.12.3",
        "aiofile",
        (".", "pytest", "aiomisc-pytest"),
        ("-o", "addopts=", "tests"),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``).
    "httpx-ws": Suite(
        "0.9.0",
        "httpx_ws",
        (".", "pytest", "starlette", "uvicorn[standard]", "trio"),
        ("-o", "addopts=", "tests"),  # its addopts need pytest-cov
    ),
    # Not in the corpus. Its safe fix is in its tests (``--fix-tests``); they run kernels.
    "nbclient": Suite(
        "0.11.0",
        "nbclient",
        (".[test]",),
        # its warnings are errors, pytest-asyncio's about this unset option too
        ("-o", "asyncio_default_fixture_loop_scope=function", "tests"),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the file they are
    # in, which starts kernels (its whole suite runs ~700 tests).
    "jupyter-client": Suite(
        "8.10.0",
        "jupyter_client",
        (".[test]",),
        ("tests/test_kernelmanager.py",),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the two files
    # they are in, which run kernels behind a server.
    "jupyter-server": Suite(
        "2.21.1",
        "jupyter_server",
        (".[test]",),
        ("tests/services/kernels/test_api.py", "tests/services/kernels/test_execution_state.py"),
    ),
    # Not in the corpus. Its safe fix is in its package: the starlette dashboard's gzip check
    # (`os.path.exists`, web/starlette.py), which no test runs. Its sdist lacks
    # tests/helpers.py, the Redis and PostgreSQL queues' tests import it: the files that don't.
    "saq": Suite(
        "0.26.4",
        "saq",
        (".[http,postgres]", "pytest"),
        (
            "tests/test_http_retry.py",
            "tests/test_migrations.py",
            "tests/test_runner.py",
            "tests/test_settings_import.py",
            "tests/test_utils.py",
        ),
    ),
    # Not in the corpus. Its safe fix is in its package: the web preview's read of the
    # temporary PNG (tools/web_preview.py), which no test imports. test_subdialog fails about
    # once in 100 runs, fixed or not: two intent ids made in one second collide 1 time in 100.
    "aiogram-dialog": Suite(
        "2.6.0",
        "src/aiogram_dialog",
        (".[tools]", "pytest", "pytest-asyncio"),
        ("tests",),
    ),
    # Not in the corpus. Its safe fixes are in its package: a download written to the
    # caller's binary handle, chunk by chunk, in threads (bot.py's __download_file_binary_io).
    "aiogram": Suite(
        "3.31.0",
        "aiogram",
        (
            ".[i18n,proxy,signature]",
            "pytest",
            "pytest-mock",
            "pytest-aiohttp",
            "aresponses",
            "pytz",
            "pycryptodomex",
            "redis",
            "motor",
        ),
        ("tests", "-o", "asyncio_default_fixture_loop_scope=function"),  # else a warning errs
    ),
    # Not in the corpus. Its safe fix is in its package: the file watcher resolves the
    # changed paths (`Path.resolve`, server.py) each in a thread.
    "sphinx-autobuild": Suite("2025.8.25", "sphinx_autobuild", (".[test]",), ("tests",)),
    # Not in the corpus. An MCP server; its safe fixes are in its tests (``--fix-tests``): the
    # files and directories they make in the repositories its tools are called on.
    "mcp-server-git": Suite(
        "2026.10.19", "src/mcp_server_git", (".", "pytest", "pytest-asyncio"), ("tests",)
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): temporary files,
    # and calls of its sync client swapped for their async twins. Its sdist ships neither
    # tests/conftest.py (two files import it) nor the recorded cassettes: those tests fail
    # (or err, a fixture of the conftest missing) before and after alike.
    "replicate": Suite(
        "1.0.7",
        "replicate",
        (".", "pytest", "pytest-asyncio", "pytest-recording", "respx"),
        ("--continue-on-collection-errors", "tests"),
    ),
    # Not in the corpus. A task scheduler whose tests live inside the package: its safe fixes
    # are the async tasks' file writes in its scheduling tests (test_core.py,
    # test_terminate.py, the files that run). Its pydantic is 1.x.
    "rocketry": Suite(
        "2.5.1",
        "rocketry",
        (".[test]", "pydantic<2"),
        ("rocketry/test/schedule/test_core.py", "rocketry/test/schedule/test_terminate.py"),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): an image written
    # to a temporary file before the async client sends it.
    "ollama": Suite("0.6.3", "ollama", (".", "pytest", "pytest-httpserver", "pillow"), ("tests",)),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the temporary files
    # its file downloads are checked in (`mkstemp`, a `TemporaryFile`'s seek and read).
    "python-telegram-bot": Suite(
        "22.8",
        "src/telegram",
        (
            ".[passport]",
            "pytest==9.0.3",  # its pytest-asyncio 0.21 fails to collect under pytest 9.2
            "pytest-asyncio==0.21.2",
            "flaky",
            "beautifulsoup4",
            "tzdata",
            "pytz",
        ),
        # the file its fixes are in: the sdist lacks most of tests/data, which the other
        # files of tests/_files send, and their bots need the Telegram API
        ("tests/_files/test_file.py",),
    ),
    # Not in the corpus. MCP servers; each one's safe fix is in its tests (``--fix-tests``):
    # the check that its console script is installed before a test starts it over stdio.
    "mcp-server-time": Suite(
        "2026.10.19",
        "src/mcp_server_time",
        (".", "pytest", "pytest-asyncio", "freezegun"),
        ("tests",),
    ),
    "mcp-server-fetch": Suite(
        "2026.10.24", "src/mcp_server_fetch", (".", "pytest", "pytest-asyncio"), ("tests",)
    ),
    # Not in the corpus. A PyPI mirror whose tests live inside the package: its safe fix is a
    # test's `TemporaryDirectory` (``--fix-tests``).
    "bandersnatch": Suite(
        "6.8.0",
        "src/bandersnatch",
        (".", "pytest", "pytest-asyncio", "freezegun", "boto3", "s3path"),  # its conftest's
        ("src/bandersnatch/tests",),
    ),
    # Not in the corpus. A rate limiter; its safe fixes are in its tests (``--fix-tests``):
    # `time.sleep` in coroutines that wait out a rate. Its Redis and PostgreSQL buckets'
    # cases skip (neither client installed, no server here).
    "pyrate-limiter": Suite(
        "4.6.0",
        "pyrate_limiter",
        (".[filelock]", "pytest", "pytest-asyncio", "httpx", "httpx2", "aiohttp", "requests"),
        ("tests",),
    ),
    # Not in the corpus. faust's service framework; its safe fix is in its tests
    # (``--fix-tests``): a `time.sleep` between context-local stack pushes of concurrent tasks.
    "mode-streaming": Suite(
        "0.7.1",
        "mode",
        (".", "pytest==8.3.5", "pytest-asyncio==0.21.1", "freezegun", "hypothesis", "pytz", "yarl"),
        ("tests/unit", "tests/functional"),
    ),
    # Not in the corpus. An MCP server; its one safe fix in its tests (``--fix-tests``), the
    # `time.sleep` that lets a cached rate-limited answer expire inside a `with` that puts a
    # mock in place of `asyncio.sleep`, is declined since it was run (bench/README.md):
    # ``--unsafe-fixes`` rewrites ~150 calls of its package and tests.
    "arxiv-mcp-server": Suite(
        "0.8.2",
        "src/arxiv_mcp_server",
        (".", "pytest", "pytest-asyncio", "pytest-mock", "aioresponses"),
        ("-o", "addopts=", "tests"),  # its addopts need pytest-cov
    ),
    # In the corpus too. A web framework; its safe fix is in its tests (``--fix-tests``): a
    # websocket handler's `sleep(2)` past the response timeout, which fails
    # test_response_timeout_not_applied (bench/README.md). The files beside it run its
    # unsafe fixes (static files' `resolve` and `is_file`, a TLS temp dir's cleanup).
    "sanic": Suite(
        "25.12.1",
        "sanic",
        (
            ".",
            "sanic-testing>=23.6.0",
            "websockets<14",  # its tests import websockets.frames.OP_TEXT, gone in 14
            "pytest",
            "pytest-asyncio",  # for its async tests (pytest-sanic's place)
            "pytest-benchmark",
            "beautifulsoup4",
            "chardet==3.*",
            "uvicorn",
            "cryptography",
        ),
        (
            "-o",
            "asyncio_mode=auto",
            "tests/test_response_timeout.py",
            "tests/test_websockets.py",
            "tests/test_ws_handlers.py",
            "tests/test_static.py",
            "tests/test_static_directory.py",
            "tests/test_response_file.py",
            "tests/test_unix_socket.py",
            "tests/test_tls.py",
        ),
    ),
    # Not in the corpus. An ORM on SQLAlchemy's async engine (SQLite here); its one finding,
    # a safe fix in its tests (``--fix-tests``): a `time.sleep(1)` between two rows whose
    # server-default timestamps must differ. Its model-definition tests run.
    "ormar": Suite(
        "0.26.0",
        "ormar",
        (
            ".",
            "aiosqlite",
            "cryptography",
            "fastapi",  # its tests' shared app
            "httpx",
            "asgi-lifespan",
            "email-validator",
            "pydantic-extra-types",
            "pytest",
            "pytest-asyncio",
        ),
        ("tests/test_model_definition",),
    ),
    # Not in the corpus. A chat-bot framework whose tests live inside the package; its safe
    # fixes are in its package: a video event's temporary file made, written and closed
    # (events.py), which no test of the sdist runs (it lacks test_events.py).
    "opsdroid": Suite(
        "0.31.0",
        "opsdroid",
        (
            ".",
            "setuptools<81",  # its CLI imports pkg_resources
            "aiosqlite",  # its setup.py's extras do not install: the connectors' and
            "slack_sdk",  # databases' libraries by name (Teams, Watson and Mattermost's
            "certifi",  # tests left out: Bot Framework, IBM's SDK, a conftest the sdist
            "emoji",  # lacks)
            "bleach",
            "matrix-nio",
            "pyjwt",
            "redis",
            "motor",
            "pytest",
            "pytest-mock",
            "pytest-timeout",
            "anyio[trio]",
            "mock",
            "vcrpy",
            "asynctest",
        ),
        # matrix's and slack's test_connector import conftests the sdist lacks too
        (
            "--continue-on-collection-errors",
            "--ignore=opsdroid/connector/teams",
            "--ignore=opsdroid/connector/mattermost",
            "--ignore=opsdroid/parsers/tests/test_parser_watson.py",
            "opsdroid",
        ),
    ),
    # Not in the corpus. A telnet client and server whose tests live inside the package; its
    # safe fix is in its tests (``--fix-tests``): a temporary log file made for the client
    # a test starts. test_server_mud imports a module the sdist lacks.
    "telnetlib3": Suite(
        "5.0.1",
        "telnetlib3",
        (".", "pytest", "pytest-asyncio", "pytest-timeout", "pexpect", "uvloop", "trustme"),
        (
            "-o",
            "addopts=--strict-markers --capture=no -p no:benchmark --timeout=15",  # less xdist, cov
            "--ignore=telnetlib3/tests/test_benchmarks.py",
            "--ignore=telnetlib3/tests/test_server_mud.py",
            "telnetlib3/tests",
        ),
    ),
    # Not in the corpus. OpenAI's SDK; its safe fixes are in its tests (``--fix-tests``): the
    # sync client's calls in tests parametrised over both clients, each run in a thread. The
    # files they are in (its API resource tests need a mock server).
    "openai": Suite(
        "3.63.0",
        "src/openai",
        (
            ".[bedrock,vertex]",
            "pytest",
            "pytest-asyncio",
            "inline-snapshot",
            "Pillow",
            "rich",
            "trio",
            "azure-identity",
            "dirty-equals",
            "time-machine",
            "respx",
            "griffe",
            "numpy",
            "standardwebhooks",
            "websockets",
            "opentelemetry-sdk",
            "requests",
        ),
        (
            "-o",
            "addopts=",  # its addopts need pytest-xdist
            "tests/lib/beta/agents/test_tools.py",
            "tests/lib/chat/test_content_filter.py",
            "tests/lib/chat/test_single_pass_tools.py",
            "tests/lib/live/test_sideband_events.py",
            "tests/lib/live/test_websocket_roles.py",
            "tests/lib/responses/test_commentary_parsing.py",
            "tests/lib/responses/test_deferred_tools.py",
            "tests/lib/responses/test_error_diagnostics.py",
            "tests/lib/responses/test_image_tool_errors.py",
            "tests/lib/responses/test_lifecycle_replacements.py",
            "tests/lib/responses/test_null_content.py",
            "tests/lib/responses/test_null_output.py",
            "tests/lib/responses/test_null_output_items.py",
            "tests/lib/responses/test_parse_as.py",
            "tests/lib/responses/test_responses.py",
            "tests/lib/responses/test_websocket_accumulator.py",
            "tests/lib/responses/test_websocket_auth.py",
            "tests/lib/responses/test_websocket_preconnect.py",
            "tests/lib/responses/test_websocket_session.py",
            "tests/lib/streaming/agents/test_artifacts.py",
            "tests/lib/streaming/agents/test_creation_tools.py",
            "tests/lib/streaming/agents/test_files.py",
            "tests/lib/streaming/agents/test_output.py",
            "tests/lib/streaming/agents/test_results.py",
            "tests/lib/streaming/agents/test_streams.py",
            "tests/lib/test_beta_realtime_auth_policy.py",
            "tests/lib/test_realtime_reference_inputs.py",
            "tests/lib/test_realtime_translation.py",
            "tests/lib/test_realtime_websocket_contract.py",
            "tests/lib/test_realtime_websocket_recovery.py",
            "tests/lib/test_request_credentials.py",
            "tests/lib/test_uploads.py",
            "tests/lib/test_vertex_provider.py",
            "tests/lib/test_video_polling.py",
            "tests/test_agent_session_environment_reset.py",
            "tests/test_client.py",
            "tests/test_debug_logging.py",
            "tests/test_environment_credentials.py",
            "tests/test_files.py",
            "tests/test_httpx2.py",
            "tests/test_httpx2_base.py",
            "tests/test_httpx2_decompression.py",
            "tests/test_image_markup_upload.py",
            "tests/test_large_payload_contract.py",
            "tests/test_retry_after_overflow.py",
            "tests/test_status_error_messages.py",
            "tests/test_union_parsing.py",
        ),
    ),
    # Not in the corpus. Anthropic's SDK; its safe fixes are in its tests (``--fix-tests``):
    # the sync client's calls in async tests, each run in a thread, a `time.sleep`, and
    # (since 13021b5e: 97 safe, 21 before) `AsyncAnthropic(...)` made in a thread (its
    # default TLS context). The files they are in (its API resource tests need a mock
    # server; the live ones the network).
    "anthropic": Suite(
        "2.17.0",
        "src/anthropic",
        (
            ".",
            "pytest",
            "pytest-asyncio",
            "respx",
            "time-machine",
            "dirty-equals",
            "hypothesis",
            "inline-snapshot",
            "griffe",
            "http-snapshot[httpx]==0.1.9",
            "packaging",
            "httpx2",
            "opentelemetry-sdk",
            "rich",
            "boto3",
        ),
        (
            "-o",
            "addopts=-p tests._alias_httpx",  # less its xdist; the plugin aliases httpx
            "tests/decoders/test_jsonl.py",
            "tests/lib/test_credentials.py",
            "tests/lib/test_scoped_client.py",
            "tests/lib/tools/test_file_store.py",
            "tests/lib/tools/test_open_telemetry.py",
            "tests/lib/tools/test_runners.py",
            "tests/lib/tools/toolsets/test_computer_runner.py",
            "tests/lib/tools/toolsets/test_runner.py",
            "tests/test_client.py",
            "tests/test_error_classes.py",
            "tests/test_header_case_sensitivity.py",
            "tests/test_open_telemetry.py",
            "tests/test_prepare.py",
        ),
    ),
    # Not in the corpus. OpenAI's agents SDK; its safe fixes are its Docker sandbox's seeks of
    # the workspace archive (sandboxes/docker.py, its tests mock the Docker API) and, with
    # ``--fix-tests``, temporary directories in its tests. The files they are in, less
    # test_docker_removal_worker.py: it leaves `lstat` patched, and pytest's cleanup of its
    # temporary directories fails at the session's end (no report).
    "openai-agents": Suite(
        "0.24.0",
        "src/agents",
        (
            ".[docker,encrypt,realtime,voice]",
            "pytest",
            "pytest-asyncio",
            "pytest-mock",
            "inline-snapshot",
            "fastapi",
            "aiosqlite",
            "fakeredis",
            "textual",
            "graphviz",
        ),
        (
            "tests/sandbox/test_docker.py",
            "tests/sandbox/test_docker_removal.py",
            "tests/sandbox/test_docker_removal_client.py",
            "tests/sandbox/test_docker_network_mode.py",
            "tests/sandbox/test_runtime.py",
            "tests/extensions/memory/test_encrypt_session.py",
        ),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the temporary
    # files its S3 upload tests make and close before aiofiles writes them, against moto's
    # server (its tests start it on localhost).
    "aioboto3": Suite(
        "15.5.0",
        "aioboto3",
        (
            ".[s3cse,chalice]",
            "pytest",
            "pytest-asyncio<1.0.0",
            "moto[server]",
            "aiofiles",
            "dill",
            "requests",
        ),
        ("tests",),
    ),
    # Not in the corpus. Its tests live inside the package: the safe fixes are its Live API's
    # error raising, `APIError.raise_error` swapped for its twin `raise_error_async`
    # (live.py, live_music.py; its receive-error tests reach them), and, with
    # ``--fix-tests``, a `time.sleep` in a test that does not run here. Its mocked tests (the
    # others replay recorded API calls or read images the sdist does not ship).
    "google-genai": Suite(
        "3.6.1",
        "google/genai",
        (".[aiohttp,httpx]", "pytest", "pytest-asyncio"),
        (
            "google/genai/tests/live",
            "google/genai/tests/errors",
            "google/genai/tests/client",
        ),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the `time.sleep`s
    # its async storage and strategy tests wait out a window with, and the one of the
    # decorator that starts a test at a second's boundary. The in-memory storage's (the
    # others need Docker), under its `filterwarnings = error`.
    "limits": Suite(
        "5.8.0",
        "limits",
        (
            ".[redis,memcached,mongodb,valkey,async-redis,async-memcached,async-mongodb]",
            "pytest",
            "pytest-asyncio",
            "pytest-lazy-fixtures",
            "pytest-mock",
            "pytest-benchmark",
            "hiro",
            "flaky",  # its Docker plugin is left out: under its warnings-as-errors,
            # pytest's assertion rewriting warns that the plugin's namespace is imported
        ),
        (
            "-o",
            "addopts=--tb=short -rfEsxX",  # less its pytest-cov
            "-o",
            "asyncio_default_fixture_loop_scope=function",  # unset: pytest-asyncio warns
            "-m",
            "not benchmark and not (redis or redis_sentinel or redis_cluster or mongodb"
            " or memcached or valkey or valkey_cluster or integration)",
            "tests",
        ),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the sync OpenAI
    # and Anthropic clients' `close` in async tests, each in a thread. The coverage tests
    # (mocked clients; the others call the providers' APIs); 56 of them need other
    # providers' SDKs and fail before and after.
    "instructor": Suite(
        "1.17.0",
        "instructor",
        (".[anthropic]", "pytest", "pytest-asyncio", "python-dotenv", "jsonref"),
        (
            *(  # they import other providers' SDKs
                f"--ignore=tests/coverage/test_{name}_coverage.py"
                for name in (
                    "bedrock",
                    "cohere",
                    "core_helpers",
                    "gemini",
                    "genai",
                    "mistral",
                    "vertexai",
                )
            ),
            "tests/coverage",
        ),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): a pipe's write,
    # flush, read and closes around its async `Poller`'s polls, moved into thread sections.
    # Built against the system's libzmq, found by pkg-config (Debian's libzmq3-dev: its
    # bundled build downloads libzmq's source).
    "pyzmq": Suite(
        "27.3.0",
        "zmq",
        (".", "pytest", "pytest-asyncio", "tornado"),
        ("-o", "addopts=--import-mode=importlib", "tests/test_asyncio.py", "tests/test_future.py"),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the
    # `http.client` request to its metrics server's thread, each call in a thread. Its
    # version comes from git (hatch-vcs), which the sdist has not.
    "prometheus-async": Suite(
        "26.1.0",
        "src/prometheus_async",
        (".", "pytest", "pytest-asyncio", "aiohttp", "twisted"),
        ("tests",),
        (("SETUPTOOLS_SCM_PRETEND_VERSION", "26.1.0"),),
    ),
    # Not in the corpus. Its safe fixes are in its package: the static server's 404 page
    # (`is_dir` up the path, then `iterdir` listed in a thread). Two of its test files
    # run: the others import a `conftest.py` its sdist does not ship.
    "aiohttp-devtools": Suite(
        "1.1.2",
        "aiohttp_devtools",
        (
            ".",
            "aiohttp<3.10",  # later, the static resource answers 404 itself: no fix runs
            "pytest<8.4",
            "pytest-asyncio==0.23.8",  # its fixtures take `event_loop`
            "pytest-aiohttp==1.0.5",
            "pytest-toolbox",
            "py",  # pytest-toolbox imports `py._path`, which pytest's own `py` shim lacks
        ),
        (
            "-o",
            "addopts=",  # less its pytest-cov
            "-o",
            "asyncio_default_fixture_loop_scope=function",
            # its `filterwarnings = error` kept, less the deprecations of its old test tools
            "-W",
            "ignore::DeprecationWarning",
            "-W",
            "ignore::pluggy.PluggyTeardownRaisedWarning",
            "tests/test_serve.py",
            "tests/test_utils.py",
        ),
    ),
    # Not in the corpus. An async process supervisor (jupyter-server-proxy's); safe fixes in
    # its package (its Windows process class's `Popen` and `wait`, not run on Linux) and in
    # a signal test (``--fix-tests``): a supervisor started, waited on and read.
    "simpervisor": Suite(
        "1.0.0",
        "simpervisor",
        (".[test]",),
        ("-o", "addopts=", "tests"),  # its addopts need pytest-cov
    ),
    # Not in the corpus. A Zigbee stack; its safe fixes are in its tests (``--fix-tests``):
    # the app database's migration tests' sqlite3 reads, each connection's life in one thread
    # section, and a serial-port test's path calls. Its sdist lacks `tests/conftest.py` and
    # `tests/async_mock.py`: the files importing them (the database tests among them) fail
    # to collect, and the others run.
    "zigpy": Suite(
        "2.4.0",
        "zigpy",
        (
            ".",
            "aioresponses",
            "aiohttp<3.14",  # aioresponses 0.7.8 lacks aiohttp 3.14's `stream_writer`
            "freezegun",
            "pytest",
            "pytest-asyncio>=1.3.0",
            "pytest-timeout",
        ),
        ("--continue-on-collection-errors", "tests"),
    ),
    # Not in the corpus. A Jupyter server extension; its safe fixes are in its tests
    # (``--fix-tests``): a path traversal test's `open(...).close()`, moved into a thread
    # section. Its labextension ships built in the sdist: no npm build.
    "jupyter-archive": Suite(
        "3.5.1",
        "jupyter_archive",
        (".[test]",),
        ("-o", "addopts=", "jupyter_archive/tests"),  # less its pytest-cov
        (("SKIP_JUPYTER_BUILDER", "1"),),
    ),
    # Not in the corpus. A Sphinx language server; its safe fixes are in its tests
    # (``--fix-tests``): the built pages' `read_text`, `exists` and a `glob` of the build
    # directory, each in a thread, around a Sphinx agent run in a subprocess.
    "esbonio": Suite(
        "2.1.0",
        "esbonio",
        (
            ".",
            "pytest-lsp>=1.0",
            "pytest-asyncio>=1",
            "sphinx>=8,<9",
            "myst-parser<5",  # 5 fails every build on Sphinx 8 (no `myst_config`)
            "requests",
        ),
        ("tests/sphinx-agent", "tests/e2e", "tests/server"),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the
    # `time.sleep`s of its async contents manager's tests, which wait for a file's
    # timestamp to change. The contents manager's test file.
    "jupytext": Suite(
        "1.19.6",
        "src/jupytext",
        (".[test-integration]",),
        ("-p", "no:randomly", "tests/integration/contents_manager/test_contentsmanager.py"),
    ),
    # Not in the corpus. Its safe fixes are in its tests (``--fix-tests``): the temporary
    # files its file reader's tests make and close, each in a thread. Its unit tests (the
    # others drive a browser), under its `filterwarnings = error`.
    "shiny": Suite(
        "1.8.0",
        "shiny",
        (
            ".",
            "pytest",
            "pytest-asyncio",
            "pytest-timeout",
            "pytest-rerunfailures",  # its `flaky` mark
            "pytest-xdist",  # its `xdist_group` mark; the tests run in one process
            "syrupy",
            "opentelemetry-sdk",
            "pandas",
            "polars",
            "pyyaml",
            "httpx2",  # starlette's test client warns on `httpx`
            "playwright",  # its controllers import it; no browser is started
            "brand_yml",  # its theme tests compile themes
            "faicons",
        ),
        (
            "-o",
            "addopts=",  # its addopts need pytest-xdist's workers
            # It reads test_poll.py's text for the lines `tmpfile = tempfile.
            # NamedTemporaryFile(delete=False)`, which the fix rewrites: a test of the
            # source's text, not of what it does.
            "--deselect",
            "tests/pytest/test_named_temporary_file.py::test_named_temporary_file_is_not_used",
            "tests/pytest",
        ),
    ),
    # Not in the corpus. A namespace package; its safe fixes are in its tests
    # (``--fix-tests``): the temporary file its async store fixture makes and closes.
    "langgraph-checkpoint-sqlite": Suite(
        "3.1.2",
        "langgraph",
        (
            ".",
            "pytest",
            "pytest-asyncio",
            "pytest-mock",
            "pytest-retry",  # its `flaky` mark, under `--strict-markers`
            "langgraph-checkpoint-conformance",
        ),
        ("tests",),
    ),
    # Not in the corpus. An async CSV reader and writer over aiofiles; its safe fixes are in
    # its tests (``--fix-tests``): the temporary files its writer's tests make, each in a
    # thread. Its reader is an awaitable that steps the read it awaits in ``__next__``,
    # which was taken for stepping coroutines by hand: every fix of its project declined.
    "aiocsv": Suite("1.4.1", "aiocsv", (".", "pytest", "pytest-asyncio", "aiofiles"), ("tests",)),
    # A corpus project. Its safe fixes are in its tests (``--fix-tests``): a credential
    # provider's `get_credentials()` swapped for its twin `get_credentials_async()`, and the
    # `time.sleep`s of its asyncio time-series and token-manager tests. Its tests talk to a
    # Redis server on localhost:6379 (Debian's redis-server, started by hand): the files
    # holding the fixes.
    "redis": Suite(
        "8.1.0",
        "redis",
        (
            ".",
            "pytest",
            "pytest-asyncio>=0.24.0",
            "pytest-timeout",
            "packaging",
            "ujson",
            "numpy",
            "redis-entraid==1.2.1",
            "pybreaker>=1.4.0",
            "aiohttp>=3.9.0",
            "xxhash",
        ),
        (
            "-o",
            "addopts=",
            # its time-series tests want a Redis Stack server on :6479, which Debian does not
            # package: each erred at setup after its client's connection retries, most of the
            # suite's wall time; the module is still collected (its fixed lines import)
            "-m",
            "not redismod",
            "tests/test_asyncio/test_credentials.py",
            "tests/test_asyncio/test_timeseries.py",
            "tests/test_auth/test_token_manager.py",
        ),
    ),
    # Not in the corpus. A client for TP-Link smart plugs; its safe fixes are in its tests
    # (``--fix-tests``): thirteen ``ZoneInfo(key)``s, each reading the time zone's file, made
    # in a thread (``ZoneInfo``'s cache still hands every caller of a key one object). Its
    # tests run offline (``pytest-socket``); the whole suite (25,229 tests) kept every outcome
    # (2026-12-06, ~18 min at load 8): the files holding the fixes run here.
    "python-kasa": Suite(
        "0.12.0",
        "kasa",
        (
            ".",
            "pytest",
            "pytest-asyncio",
            "pytest-mock",
            "pytest-freezer~=0.4",
            "pytest-socket",
            "pytest-xdist",  # its ``--dist=loadgroup``
            "pytest-timeout",
            "voluptuous",
            "toml",
            "xdoctest",
        ),
        (
            "tests/iot/test_iottimezone.py",
            "tests/smartcam/test_smartcamdevice.py",
            "tests/test_cli.py",
            "tests/test_common_modules.py",
            "tests/test_device.py",
        ),
    ),
    # Not in the corpus. An SMTP client; its one finding, a safe fix, is in its tests
    # (``--fix-tests``): `ssl.create_default_context()` in type_usage.py, a file for mypy
    # that pytest does not collect. Its tests run against aiosmtpd servers on localhost;
    # 25 fail on Python 3.11.7 before and after alike (the address and header injection
    # guards they test are newer Pythons' `email` package's).
    "aiosmtplib": Suite(
        "5.1.3",
        "src/aiosmtplib",
        (".", "pytest", "pytest-asyncio", "hypothesis", "aiosmtpd", "trustme"),
    ),
    # Not in the corpus. Sessions for aiohttp; its safe fixes are in its tests
    # (``--fix-tests``): the `time.sleep`s of conftest's retries while a Redis or memcached
    # container starts. Those fixtures need Docker (not here): their 24 tests err before
    # and after alike, and one cookie test fails alike (a DOMAIN on 127.0.0.1). No pytest
    # configuration of its own: asyncio mode auto, as pytest-aiohttp wants.
    "aiohttp-session": Suite(
        "2.12.1",
        "aiohttp_session",
        (
            ".[aioredis,aiomcache,secure,pynacl]",
            "pytest",
            "pytest-aiohttp",
            "pytest-mock",
            "docker",
        ),
        ("-o", "asyncio_mode=auto", "tests"),
    ),
    # Not in the corpus. click made async; none of its 52 findings (17 in its package, 35 in
    # its tests: ``--fix-tests``) has a safe fix, 40 of them `echo`'s write to standard
    # output by another name (`_default_text_stdout()`). Its warnings are errors,
    # and today's pytest warns that a test parametrizes over an iterator (not collected).
    "asyncclick": Suite(
        "8.4.2.1",
        "src/asyncclick",
        (".", "pytest", "anyio", "trio"),
        ("-W", "ignore::pytest.PytestRemovedIn10Warning"),
    ),
    # Not in the corpus. An ASGI server; its two safe fixes are in its tests
    # (``--fix-tests``): the e2e tests' `httpx.AsyncClient()` made in a trio thread. Its
    # addopts want pytest-cov.
    "hypercorn": Suite(
        "0.18.0",
        "src/hypercorn",
        (".", "httpx", "hypothesis", "mock", "pytest", "pytest-asyncio", "pytest-trio", "trio"),
        ("-o", "addopts=", "tests"),
    ),
    # Not in the corpus. WebSockets for trio; its two safe fixes are in its tests
    # (``--fix-tests``): `ssl.create_default_context()` twice in a trio thread. Its sdist
    # ships no pytest configuration: trio mode, as its repository's sets.
    "trio-websocket": Suite(
        "0.12.2",
        "trio_websocket",
        (".", "pytest", "pytest-trio", "trustme"),
        ("-o", "trio_mode=true", "tests"),
    ),
    # Not in the corpus. Server-sent events for Starlette; its safe fix is in its tests
    # (``--fix-tests``): an `httpx2.AsyncClient` made in an anyio thread, against a real
    # uvicorn on a free port. Its sdist lacks ``tests/anyio_compat.py``: two of its test
    # modules cannot be collected, the others run.
    "sse-starlette": Suite(
        "3.7.1",
        "sse_starlette",
        (".[examples]", "asgi-lifespan", "httpx2", "pytest", "pytest-asyncio", "portend", "psutil"),
        ("-m", "not experimentation", "--continue-on-collection-errors", "tests"),
    ),
    # Not in the corpus. HTTP transport under httpx; its safe fixes are in its tests
    # (``--fix-tests``): `ssl.create_default_context()` in an anyio thread, before a request
    # to pytest-httpbin's local TLS server.
    "httpcore": Suite(
        "1.0.9",
        "httpcore",
        (".[http2,socks,trio,asyncio]", "pytest", "pytest-httpbin", "pytest-trio", "trustme"),
        # its HTTP/2 timeout tests are non-strict xfails that pass or fail by timing
        ("--ignore", "tests/test_cancellations.py", "tests"),
    ),
    # Not in the corpus. tinydb over aiofiles; its safe fix is in its package: the
    # `os.makedirs` of a missing database's directory in a thread, between the failed
    # open for reading and the open for writing (both already awaited).
    "aiotinydb": Suite("2.0.0", "aiotinydb", (".", "pytest"), ("tests",)),
    # Not in the corpus. A GraphQL client; its two safe fixes are in its tests
    # (``--fix-tests``): an `httpx.AsyncHTTPTransport` made in a thread (a default TLS
    # context), then mounted for a local aiohttp server. The files they are in and
    # their sync twin, not the websockets servers' and online tests.
    "gql": Suite(
        "4.4.0",
        "gql",
        (".[test]",),
        ("tests/test_httpx_async.py", "tests/test_httpx_batch.py", "tests/test_httpx.py"),
    ),
    # Not in the corpus. Reddit's API client; its safe fix is in its tests
    # (``--fix-tests``): an image's `Path.read_bytes` in a thread before an emoji upload
    # replayed from a recorded cassette. That file and the unit tests.
    "asyncpraw": Suite(
        "8.0.3",
        "asyncpraw",
        (".", "pytest", "pytest-asyncio==1.4.*", "pytest-vcr", "vcrpy"),
        ("tests/integration/models/reddit/test_emoji.py", "tests/unit"),
    ),
    # Not in the corpus. Groq's SDK (a generated one, as Anthropic's); its safe fixes are
    # in its tests (``--fix-tests``): `AsyncGroq(...)` and `httpx.AsyncClient(...)` made in
    # a thread (their default TLS context), the clients then mocked by respx. That file;
    # its addopts want pytest-xdist.
    "groq": Suite(
        "1.7.0",
        "src/groq",
        (".", "pytest", "pytest-asyncio", "respx", "time-machine", "dirty-equals", "rich"),
        ("-o", "addopts=", "tests/test_client.py"),
    ),
}
# The files pytest reads its configuration from, each with what makes it one.
PYTEST_CONFIGS = (
    ("pytest.ini", ""),
    (".pytest.ini", ""),
    ("pyproject.toml", "[tool.pytest"),
    ("tox.ini", "[pytest]"),
    ("setup.cfg", "[tool:pytest]"),
)
# Where the sdists of suites that are not corpus projects go, under the corpus directory:
# ``bench/.corpus/src/*`` stays the pinned corpus.
SUITES_ONLY_DIR = "suites"


def outcomes(report: Path) -> dict[str, str]:
    """Each test of a JUnit report, by id, with how it ended."""
    if not report.exists():
        return {}
    ended = {}
    for case in ET.parse(report).getroot().iter("testcase"):
        kinds = {child.tag for child in case} & {"failure", "error", "skipped"}
        ended[f"{case.get('classname')}::{case.get('name')}"] = min(kinds, default="passed")
    return ended


def config_of_its_own(copy: Path) -> list[str]:
    """pytest options that keep a project with no pytest configuration of its own from
    taking the nearest ancestor directory's (deblock's, when the work dir is inside this
    repository): none to read, the copy as the rootdir."""
    for name, section in PYTEST_CONFIGS:
        path = copy / name
        if path.is_file() and section in path.read_text(encoding="utf-8", errors="replace"):
            return []
    return ["-c", os.devnull, "--rootdir", str(copy)]


def test_run(python: str, copy: Path, suite: Suite, report: Path) -> dict:
    """The suite's outcomes, and where its tests imported the fixed package from
    (``import_origin.py``, a plugin: an installed copy is not the one the fix rewrote).
    A session that dies before it writes its report ran nothing: a report left by an
    earlier run in the same work dir is no outcome of this one."""
    origin = report.with_suffix(".origin")
    origin.unlink(missing_ok=True)
    report.unlink(missing_ok=True)
    bin_dir = Path(shutil.which(python) or python).parent
    probe = {
        "PYTHONPATH": os.pathsep.join(filter(None, [str(BENCH), os.environ.get("PYTHONPATH")])),
        # As in an activated venv: a test that spawns `python` gets the one with the project.
        "PATH": os.pathsep.join(filter(None, [str(bin_dir), os.environ.get("PATH")])),
        "DEBLOCK_PACKAGE": Path(suite.package).name,
        "DEBLOCK_ORIGIN": str(origin),
    }
    ran = run(
        [
            python,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "import_origin",
            "--junitxml",
            str(report),
            *config_of_its_own(copy),
            *suite.pytest_args,
        ],
        cwd=copy,
        env=probe,
    )
    ended = outcomes(report)
    counts = {kind: sum(v == kind for v in ended.values()) for kind in sorted(set(ended.values()))}
    imported = origin.read_text(encoding="utf-8") if origin.exists() else ""
    return {
        "exit": ran.returncode,
        "wall_s": ran.wall,
        "counts": counts,
        "outcomes": ended,
        "imported_from": imported,
        "imported_fixed": bool(imported)
        and Path(imported).resolve().is_relative_to(copy.resolve()),
    }


def environment(copy: Path, suite: Suite, python: str | None) -> str:
    """The interpreter that runs the tests and the fix: ``python``, or a new venv with the
    project, its test dependencies and deblock."""
    if python:
        return python
    venv = copy.parent / f"{copy.name}-venv"
    if venv.exists():
        shutil.rmtree(venv)
    made = run([sys.executable, "-m", "venv", str(venv)])
    if made.returncode != 0:
        raise RuntimeError(f"venv failed:\n{made.stderr[-1500:]}")
    interpreter = str(venv / "bin" / "python")
    args = [str(REPOSITORY)]
    for requirement in suite.requirements:  # ".[extra]": the copy, editable
        args += ["-e", f"{copy}{requirement[1:]}"] if requirement.startswith(".") else [requirement]
    installed = run([interpreter, "-m", "pip", "install", "-q", *args], env=dict(suite.install_env))
    if installed.returncode != 0:
        raise RuntimeError(f"pip install failed:\n{installed.stderr[-1500:]}")
    return interpreter


def check_suite(
    name: str,
    source: Path,
    suite: Suite,
    work_dir: Path,
    python: str | None,
    unsafe: bool,
    fix_tests: bool,
) -> dict:
    copy = work_dir / f"tests-{name}"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(source, copy, symlinks=True)
    interpreter = environment(copy, suite, python)
    before = test_run(interpreter, copy, suite, work_dir / f"tests-{name}-before.xml")
    config = work_dir / f"tests-{name}-deblock.toml"
    config.write_text("[tool.deblock]\n")  # deblock's defaults, as a new user runs it
    fixed = run(
        [
            interpreter,
            "-m",
            "deblock",
            "fix",
            "--no-cache",
            *(["--unsafe-fixes"] if unsafe else []),
            "--config",
            str(config),
            "." if fix_tests else suite.package,
        ],
        cwd=copy,
    )
    after = test_run(interpreter, copy, suite, work_dir / f"tests-{name}-after.xml")
    changed = sorted(
        test
        for test in before["outcomes"].keys() | after["outcomes"].keys()
        if before["outcomes"].get(test) != after["outcomes"].get(test)
    )
    return {
        "project": name,
        "fixed": "project" if fix_tests else "package",
        "fixes_applied": fixes_applied(fixed.stdout + fixed.stderr),
        "fix_exit": fixed.returncode,
        "fix_summary": (fixed.stdout + fixed.stderr).strip().splitlines()[-1:],
        "before": {k: v for k, v in before.items() if k != "outcomes"},
        "after": {k: v for k, v in after.items() if k != "outcomes"},
        "changed": changed,
        "ok": bool(before["outcomes"])
        and not changed
        and fixed.returncode in (0, 1)
        and after["imported_fixed"],
    }


def report(data: dict) -> None:
    print_machine(data["machine"])
    rows = [
        [
            r["project"],
            r["fixed"],
            r["fixes_applied"],
            _counts(r["before"]),
            _counts(r["after"]),
            f"{r['before']['wall_s']:.1f}",
            f"{r['after']['wall_s']:.1f}",
            len(r["changed"]),
            "PASS" if r["ok"] else "FAIL",
        ]
        for r in data["projects"]
    ]
    headers = [
        "project",
        "fixed",
        "fixes applied",
        "tests before",
        "tests after",
        "before s",
        "after s",
        "outcomes changed",
        "verdict",
    ]
    print(table(headers, rows))
    for r in data["projects"]:
        if not r["after"]["imported_fixed"]:
            where = r["after"]["imported_from"] or "nowhere"
            print(f"  {r['project']}: the tests imported its package from {where}, not the fix")
        for test in r["changed"][:20]:
            print(f"  {r['project']}: {test} changed")


def _counts(run_data: dict) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in run_data["counts"].items()) or "none ran"


def _sdists_dir(name: str, corpus_dir: Path) -> Path:
    """Where suite ``name``'s sdist is kept: the corpus's, unless it is no corpus project."""
    return corpus_dir if name in corpus.PINS else corpus_dir / SUITES_ONLY_DIR


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=sorted(SUITES), help="a subset of the suites")
    parser.add_argument("--source", type=Path, help="a local project instead (needs --package)")
    parser.add_argument("--package", help="the package directory of --source that gets fixed")
    parser.add_argument(
        "--python", help="run the tests and deblock with this interpreter (no new venv)"
    )
    parser.add_argument(
        "--corpus-dir",
        type=Path,
        default=DEFAULT_CORPUS_DIR,
        help="where sdists are kept (default: bench/.corpus)",
    )
    parser.add_argument(
        "--work-dir",
        type=Path,
        default=DEFAULT_WORK_DIR,
        help="where the copies and venvs go (default: bench/.work)",
    )
    parser.add_argument("--unsafe-fixes", action="store_true", help="apply the unsafe fixes too")
    parser.add_argument(
        "--fix-tests",
        action="store_true",
        help="fix the whole project, its tests included (default: its package only)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    if bool(args.source) != bool(args.package):
        parser.error("--source and --package go together")
    work_dir = args.work_dir.resolve()
    work_dir.mkdir(parents=True, exist_ok=True)
    if args.source:
        todo = [(args.source.name, args.source.resolve(), Suite("-", args.package))]
    else:
        todo = [
            (
                name,
                corpus.fetch(name, suite.version, _sdists_dir(name, args.corpus_dir)).path,
                suite,
            )
            for name, suite in SUITES.items()
            if not args.only or name in args.only
        ]
    info = machine(("deblock",))  # its load average is the one before the runs
    rows = [
        check_suite(name, source, suite, work_dir, args.python, args.unsafe_fixes, args.fix_tests)
        for name, source, suite in todo
    ]
    data = {"machine": info, "projects": rows, "ok": all(r["ok"] for r in rows)}
    if args.json:
        dump_json(data)
    else:
        report(data)
    sys.exit(0 if data["ok"] else 1)


if __name__ == "__main__":
    main()
