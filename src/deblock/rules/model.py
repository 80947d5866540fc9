"""The data model of rules and of the catalogue of blocking calls.

The records are named tuples: immutable, compared and hashed by value, and printed as a
dataclass would print them (the cache's fingerprint is their ``repr``), but made without
compiling generated methods at import (five frozen dataclasses cost a run ~22M
instructions, a sixth of its dataclass generation). Change one with ``_replace``. Their
annotations are evaluated (no ``from __future__ import annotations``): ``typing.NamedTuple``
compiles a string annotation of each field at import.
"""

from typing import Literal, NamedTuple

FixSafety = Literal["safe", "unsafe"]


class Rule(NamedTuple):
    """A stable diagnostic code with its documentation and fix strategy.

    ``strategy`` names the codemod applied by default (a safe fix);
    ``unsafe_strategy`` names an alternative applied only with ``--unsafe-fixes``.
    ``coroutine_only`` marks a call's misuse *in a coroutine* (a sync twin, a wrong
    bridge), not work that blocks wherever it runs: such a call does not make a sync
    helper blocking. ``unsafe_because`` says why the ``unsafe_strategy`` of a rule without a
    safe one is unsafe: each of its findings says it.
    """

    code: str
    name: str
    family: str
    message: str
    what: str
    why: str
    example: str
    instead: str
    strategy: str | None = None
    unsafe_strategy: str | None = None
    async_equivalent: str | None = None
    coroutine_only: bool = False
    unsafe_because: str | None = None

    @property
    def fix_safety(self) -> str:
        """How the fix is labelled in `deblock rules` and `deblock explain`."""
        if self.strategy:
            return "safe" + (" (unsafe alternative)" if self.unsafe_strategy else "")
        return "unsafe" if self.unsafe_strategy else "none"


class LoadedOnRead(NamedTuple):
    """The ``attributes`` of class ``target`` (a wildcard's class and the name of what its
    capitalised method makes: ``boto3.resources.base.ServiceResource.Object``) that load
    the object, a request, when read while it holds no data, as its maker leaves it."""

    target: str
    attributes: tuple[str, ...]


class Blocking(NamedTuple):
    """A catalogue entry: calls to ``target`` block the event loop.

    ``target`` is a qualified name (``time.sleep``, ``requests.Session.get``) or a
    prefix pattern ending in ``.*`` (``groq.Groq.*``: every call reached through an
    instance of that class and its public attributes), but for the methods
    ``unless_methods`` names, which do no I/O (``sqlite3.Connection.interrupt``), and those
    ``chained_methods`` names, which do none either and return another object of the same
    API, whose calls and iteration the wildcard covers in turn (pymongo's
    ``client.get_database("app").users.find().sort("n")``: a cursor, which does its I/O as
    it is iterated). With ``methods_only``, the wildcard covers the class's own methods and
    those of what its chained methods or those that do no I/O return (``conn.cursor()``),
    not what its attributes hold (a redis client's ``connection_pool.connection_kwargs`` is
    a dict). With ``chained_capitalised``, a method whose name starts with a capital letter
    is a chained method too (boto3's resources: ``s3.Bucket(name)`` makes a sub-resource,
    every other method is a request). ``collections`` names the methods that, called on an
    attribute of such an object or on what they return, make a collection without a
    request (boto3's ``bucket.objects.all()``, ``.filter(...)``, ``.pages()``): iterating
    one is a request a page, and so is any other method of one (a batch action,
    ``.delete()``); of those, ``batch_actions`` are requests called on the attribute itself
    (``bucket.objects.delete()``; an attribute holding data has no such method). A call
    passing any keyword of ``unless_kwargs`` is not blocking
    (``Lock.acquire(timeout=...)``), nor is one passing more than
    ``max_positional`` positional arguments (``Lock.acquire(False)``), nor one whose
    arguments name one of ``unless_named``, directly or through a module's constant
    (``getaddrinfo(host, port, flags=socket.AI_NUMERICHOST)`` only parses the address).
    With ``only_given``, only a call that passes a positional argument or one of those
    keywords blocks (``smtplib.SMTP(host)`` connects, ``smtplib.SMTP()`` does not yet).
    Nor does a call whose first argument is known to start with one of ``unless_prefixed``:
    a string or f-string that does, or a parameter its function returns or raises unless it
    does, at the top of its body (``urlopen`` of a ``data:`` URI decodes it in memory); nor
    do the methods of what it returns (``coroutine_calls.CoroutineCalls._made_in_memory``).
    With ``unless_suspended``, a call its coroutine makes after suspending is taken to find
    done what it waits for (``settled_waits``). ``async_twin`` names the native async
    equivalent the fixer may switch to; ``lazy_result`` marks calls returning a generator
    that does its I/O while iterated (a bridge must materialise it); ``eager_from`` the
    Python version from which the call does its I/O when called instead.
    ``async_equivalent`` is the flake8-async code that reports this call where it is not
    its rule's (``ASYNC212`` for an ``httpx.Client``'s methods, not ``ASYNC210``);
    ``first_argument_codes`` the code of a call whose first argument names a constant, by
    that constant (``os.spawnl(os.P_WAIT, ...)`` waits for the process: ``ASYNC221``).
    With ``only_entered``, the call blocks only as what a ``with`` enters, at that block's
    exit (SQLAlchemy's ``session.begin()``: the exit commits); made otherwise, it does no I/O.
    ``endless`` marks a call returning a generator that waits for more without end (a
    consumer's stream of messages): listed whole in a thread it would never return, so it
    gets no fix.
    ``over`` names the places of the argument giving the file the call reads or writes, the
    first one handed deciding: a call handing an in-memory buffer there (``io.BytesIO``)
    does no I/O (``json.load(io.StringIO(text))``, ``zipfile.ZipFile(io.BytesIO(data))``).
    """

    target: str
    code: str
    message: str | None = None
    unless_kwargs: tuple[str, ...] = ()
    max_positional: int | None = None
    unless_named: tuple[str, ...] = ()
    async_twin: str | None = None
    lazy_result: bool = False
    eager_from: tuple[int, int] | None = None
    unless_methods: tuple[str, ...] = ()
    chained_methods: tuple[str, ...] = ()
    only_given: tuple[str, ...] | None = None
    unless_prefixed: tuple[str, ...] = ()
    unless_suspended: bool = False
    async_equivalent: str | None = None
    first_argument_codes: tuple[tuple[str, str], ...] = ()
    only_entered: bool = False
    endless: bool = False
    methods_only: bool = False
    over: tuple[str, ...] = ()
    chained_capitalised: bool = False
    collections: tuple[str, ...] = ()
    batch_actions: tuple[str, ...] = ()

    def chained(self, name: str) -> bool:
        """Whether method ``name`` returns another object of this wildcard's API."""
        return name in self.chained_methods or (self.chained_capitalised and name[:1].isupper())

    def collection_call(self, hops: list[str], name: str) -> str | None:
        """What calling ``name`` after ``hops`` (the attribute, then the methods, reached
        from an object of the wildcard's API) does to a collection (``collections``):
        ``"made"`` (no request), ``"request"``, or None when ``hops`` reach no collection
        nor the attribute holding one."""
        made = [hop.removesuffix("()") for hop in hops[1:]]
        if not (self.collections and hops) or not all(hop in self.collections for hop in made):
            return None
        if name in self.collections:
            return "made"
        return "request" if made or name in self.batch_actions else None

    def exempt_by_arguments(self, keywords: tuple[str, ...], positional: int) -> bool:
        """Whether a call passing ``keywords`` by name and ``positional`` arguments by place
        does not block, by ``unless_kwargs``, ``only_given`` or ``max_positional``."""
        return (
            any(k in self.unless_kwargs for k in keywords)
            or (
                self.only_given is not None
                and not (positional or any(k in self.only_given for k in keywords))
            )
            or (self.max_positional is not None and positional > self.max_positional)
        )

    @property
    def by_arguments_only(self) -> bool:
        """Whether what a call passes (its keywords, how many by place) alone tells whether
        it blocks (``exempt_by_arguments``): not its arguments' values, nor its place."""
        return not (self.unless_named or self.unless_prefixed or self.only_entered or self.over)

    @property
    def conditional(self) -> bool:
        """Whether some calls of ``target`` do not block, by their arguments or place."""
        return bool(
            self.unless_kwargs
            or self.unless_named
            or self.max_positional is not None
            or self.only_given is not None
            or bool(self.unless_prefixed)
            or self.only_entered
            or bool(self.over)
        )


class Returns(NamedTuple):
    """A type fact: the value of ``target`` (a call, or an attribute when
    ``attribute`` is true) is an instance of class ``returns``."""

    target: str
    returns: str
    attribute: bool = False


class Yields(NamedTuple):
    """A type fact: iterating what a call to ``target`` returns gives instances of class
    ``element`` (``Path.rglob`` gives paths)."""

    target: str
    element: str


class Proxies(NamedTuple):
    """A type fact: class ``target`` offers every method of class ``proxied``, copied onto
    it at runtime where its source cannot show it (Django's ``Manager`` and ``QuerySet``)."""

    target: str
    proxied: str
