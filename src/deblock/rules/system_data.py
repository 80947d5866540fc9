"""Data the system keeps in files, read as it is asked for, under DBK301: TLS contexts'
certificates (the system's trust store for a default context: tens of milliseconds),
unless handed as data (``cadata``); the async HTTP clients that make such a context each
time one is made (httpx's, and the SDKs' that make one); and time zones (a ``ZoneInfo``
reads its zone's file the first time its key is asked for)."""

from deblock.rules.model import Blocking, Returns
from deblock.rules.network import HTTPX, SDKS

RULES = ()  # the findings are DBK301's (``os_io``)

CONTEXT = "ssl.SSLContext"
# A context's methods that read certificate or key files.
CONTEXT_LOADS = (
    "load_default_certs",
    "load_verify_locations",
    "load_cert_chain",
    "set_default_verify_paths",
    "load_dh_params",
)
VERIFY = f"{CONTEXT}.load_verify_locations"  # the one load that also takes data
# HTTP clients that make a TLS context as they are made, loading a CA bundle (certifi's, or
# the one the environment names) each time, tens of milliseconds: httpx's (and httpx2's)
# clients and transports, async and sync, unless handed a transport or their own context, or
# told not to verify (``verify``); and the SDK clients that make an httpx client, unless
# handed one. (A sync client made and used in a coroutine moves into one thread with its
# calls, without the module's lock: ``Finding.unshared``.)
_SDK_HANDED = {"elevenlabs": "httpx_client"}  # the keyword handing an SDK its httpx client
_TLS_CLIENTS = {
    **{
        f"{package}.{name}": unless
        for package in HTTPX
        for name, unless in (
            ("AsyncClient", ("transport", "verify")),
            ("Client", ("transport", "verify")),
            ("HTTPTransport", ("verify",)),
            ("AsyncHTTPTransport", ("verify",)),
        )
    },
    **{
        cls: (_SDK_HANDED.get(cls.partition(".")[0], "http_client"),)
        for pair in SDKS
        for cls in pair
    },
}
ZONE = "zoneinfo.ZoneInfo"
# What reads time zones' files (``from_file`` reads the file object it is handed).
ZONE_READS = (ZONE, f"{ZONE}.no_cache", "zoneinfo.available_timezones")
# Calls reading only files the system keeps and the program does not write (the trust store,
# the time zones): they touch no resource the program shares.
SYSTEM_ONLY = frozenset(
    {
        "ssl.create_default_context",
        f"{CONTEXT}.load_default_certs",
        f"{CONTEXT}.set_default_verify_paths",
        *_TLS_CLIENTS,
        *ZONE_READS,
    }
)

_LOADS_CERTIFICATES = (
    "`{target}` loads TLS certificates from a file synchronously as it is made; make one "
    "once, or make it in a thread"
)

BLOCKING = (
    # certificates handed as data (``cadata``, by keyword or place) are read from no file
    Blocking("ssl.create_default_context", "DBK301", unless_kwargs=("cadata",), max_positional=3),
    Blocking(VERIFY, "DBK301", unless_kwargs=("cadata",), max_positional=2),
    *(
        Blocking(load, "DBK301")
        for load in (f"{CONTEXT}.{n}" for n in CONTEXT_LOADS)
        if load != VERIFY
    ),
    *(
        Blocking(name, "DBK301", _LOADS_CERTIFICATES, unless_kwargs=unless)
        for name, unless in _TLS_CLIENTS.items()
    ),
    *(Blocking(name, "DBK301") for name in ZONE_READS),
    Blocking(f"{ZONE}.from_file", "DBK204", over=("file_obj", "#0")),
)

RETURNS = (Returns("ssl.create_default_context", CONTEXT),)
