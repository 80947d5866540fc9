"""TLS contexts under DBK301: loading certificates reads files from disk (the system's trust
store for a default context: tens of milliseconds), unless they are handed as data
(``cadata``)."""

from deblock.rules.model import Blocking, Returns

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

BLOCKING = (
    Blocking("ssl.create_default_context", "DBK301", unless_kwargs=("cadata",)),
    *(Blocking(f"{CONTEXT}.{name}", "DBK301", unless_kwargs=("cadata",)) for name in CONTEXT_LOADS),
)

RETURNS = (Returns("ssl.create_default_context", CONTEXT),)
