"""The rule registry and the catalogue of blocking calls, gathered from the family modules."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import cache, cached_property

from deblock.rules import (
    boto3_clients,
    dataframes,
    dbapi_drivers,
    files,
    misc,
    network,
    orm,
    os_io,
    processes,
    project,
    service_clients,
    sleep,
    sqlalchemy,
    system_data,
    twins,
)
from deblock.rules.model import Blocking, LoadedOnRead, Proxies, Returns, Rule, Yields

_FAMILIES = (
    sleep,
    files,
    dataframes,
    os_io,
    system_data,
    processes,
    network,
    dbapi_drivers,
    service_clients,
    boto3_clients,
    twins,
    misc,
    project,
    orm,
    sqlalchemy,
)

RULES: tuple[Rule, ...] = tuple(rule for family in _FAMILIES for rule in family.RULES)
BY_CODE: dict[str, Rule] = {rule.code: rule for rule in RULES}
CONFIGURED_CODE = "DBK790"


@cache
def equivalents(rule: Rule) -> tuple[str, ...]:
    """The flake8-async codes reporting what ``rule`` finds: its own first, then those of
    its catalogue entries that differ, in order (``DBK501``: ``ASYNC210``, ``ASYNC211``,
    ``ASYNC212``)."""
    entries = {
        code
        for family in _FAMILIES
        for e in family.BLOCKING
        if e.code == rule.code
        for code in (e.async_equivalent, *(code for _, code in e.first_argument_codes))
    }
    own = (rule.async_equivalent,) if rule.async_equivalent else ()
    return (*own, *sorted(entries - {None, *own}))


def blocks_outside_coroutines(entry: Blocking) -> bool:
    """Whether a sync function making this call blocks whoever calls it."""
    return not BY_CODE[entry.code].coroutine_only


class Catalogue:
    """Looks up which qualified names block, and the type facts: what calls return,
    what attributes hold, what iterating a call's result gives, which classes offer
    another's methods, which attributes load their object as they are read."""

    def __init__(
        self,
        entries: tuple[Blocking, ...],
        returns: tuple[Returns | Proxies | Yields | LoadedOnRead, ...],
    ):
        self.entries = entries
        self.returns = returns
        self._exact = {e.target: e for e in entries if not e.target.endswith(".*")}
        self._prefixes = {e.target[:-2]: e for e in entries if e.target.endswith(".*")}
        # their top-level names: a qualified name under another has no wildcard (~90 % of
        # the bench corpus's ~296k asks, each a lookup of every head of the name)
        self._prefix_roots = frozenset(p.partition(".")[0] for p in self._prefixes)
        self._chained = frozenset(m for e in self._prefixes.values() for m in e.chained_methods)
        self._capitalised = any(e.chained_capitalised for e in self._prefixes.values())
        self._collections = frozenset(m for e in self._prefixes.values() for m in e.collections)
        typed = [r for r in returns if isinstance(r, Returns)]
        self._calls = {r.target: r.returns for r in typed if not r.attribute}
        self._attributes = {r.target: r.returns for r in typed if r.attribute}
        self._proxies = {r.target: r.proxied for r in returns if isinstance(r, Proxies)}
        self._yields = {r.target: r.element for r in returns if isinstance(r, Yields)}
        self._loaded = {
            r.target: frozenset(r.attributes) for r in returns if isinstance(r, LoadedOnRead)
        }
        self._classes = {
            *(target.rpartition(".")[0] for target in self._exact),
            *self._prefixes,
            *self._calls.values(),
            *self._attributes.values(),
        }

    def blocking(self, qualname: str) -> Blocking | None:
        """The entry for a called qualified name, exact names first, then class wildcards
        (not for the methods a wildcard leaves out, nor what is reached through a private
        attribute: ``client._custom_query.setdefault`` is a dict's, an SDK's internals,
        not its API; nor for a ``with`` block's entry, listed where it blocks: an SDK
        client's exit only closes it)."""
        entry = self._exact.get(qualname)
        if entry is not None:
            return entry
        found = self._wildcard(qualname)
        if found is None:
            return None
        entry, parts = found
        if parts[0] in entry.unless_methods or entry.chained(parts[-1]) or parts[-1] == _ENTRY:
            return None
        if any(_requested(entry, hop) for hop in parts[:-1]):
            return None  # a method of what a request returned (``consumer.poll().values``)
        if (
            entry.methods_only
            and not all(  # ``conn.cursor().execute``
                entry.chained(hop) or hop in entry.unless_methods
                for hop in (part.removesuffix("()") for part in parts[:-1])
            )
        ):
            # a call on what an attribute holds: a request only on a collection it holds
            hops = _past_chained(entry, parts[:-1])
            return entry if entry.collection_call(hops, parts[-1]) == "request" else None
        return entry

    def loads_on_read(self, made: str, attribute: str) -> bool:
        """Whether reading ``attribute`` of an object ``made`` names (its class and what made
        it: ``LoadedOnRead.target``) loads it while it holds no data."""
        return attribute in self._loaded.get(made, ())

    def chains(self, qualname: str) -> bool:
        """Whether a call to ``qualname`` returns another object of its wildcard's API
        (``chained_methods``), which that wildcard covers too."""
        name = qualname.rpartition(".")[2]
        capitalised = self._capitalised and name[:1].isupper()
        listed = name in self._chained or name in self._collections
        if not (listed or capitalised) or qualname in self._exact:
            return False
        found = self._wildcard(qualname)
        if found is None:
            return False
        entry, parts = found
        hops = _past_chained(entry, parts[:-1])
        return entry.chained(parts[-1]) or entry.collection_call(hops, parts[-1]) == "made"

    def covers(self, qualname: str) -> bool:
        """Whether a class wildcard covers ``qualname``: an object reached through an
        instance of a catalogued class (``conn.cursor()``), which enters as itself."""
        return self._wildcard(qualname) is not None

    def _wildcard(self, qualname: str) -> tuple[Blocking, list[str]] | None:
        """The class wildcard covering ``qualname``, and the attributes and method that
        follow its class, unless some attribute is private."""
        if qualname.partition(".")[0] not in self._prefix_roots:
            return None
        head = qualname
        while "." in head:
            head = head.rpartition(".")[0]
            entry = self._prefixes.get(head)
            if entry is not None:
                parts = qualname[len(head) + 1 :].split(".")  # the attributes, the method
                return None if any(map(_private, parts[:-1])) else (entry, parts)
        return None

    def knows(self, cls: str) -> bool:
        """Whether the catalogue lists methods of class ``cls`` or gives it as a type."""
        return cls in self._classes

    def call_returns(self, qualname: str) -> str | None:
        """The class of instances a call to ``qualname`` returns, when known."""
        return self._calls.get(qualname)

    def call_yields(self, qualname: str) -> str | None:
        """The class of instances iterating what a call to ``qualname`` returns gives."""
        return self._yields.get(qualname)

    def attribute_returns(self, qualname: str) -> str | None:
        """The class of the value of attribute ``qualname``, when known: also of an object
        a wildcard's chained methods reached (a boto3 bucket's ``meta.client`` is its
        service resource's)."""
        found = self._attributes.get(qualname)
        if found is None and (covered := self._wildcard(qualname)) is not None:
            entry, parts = covered
            hops = _past_chained(entry, parts[:-1])
            if len(hops) < len(parts) - 1:
                head = qualname[: -len(".".join(parts)) - 1]
                found = self._attributes.get(".".join((head, *hops, parts[-1])))
        return found

    def facts_in(self, root: str) -> Sequence[tuple[str, str, str]]:
        """The type facts about names of top-level package ``root``, as (kind, target,
        value): kind ``call`` (a call returns an instance of value), ``attribute`` (of
        target's class and its subclasses) or ``proxies`` (target offers value's methods)."""
        return self._facts_by_root.get(root, ())

    @cached_property
    def over_names(self) -> frozenset[str]:
        """The last names of the targets of entries that read or write a file they are
        handed (``Blocking.over``): ``load``, ``read_csv``, ``ZipFile``."""
        return frozenset(e.target.rpartition(".")[2] for e in self.entries if e.over)

    @cached_property
    def _facts_by_root(self) -> dict[str, list[tuple[str, str, str]]]:
        """``facts_in``'s answers, for every root at once (a one-file run asked for nine
        roots, each a scan of every fact)."""
        kinds = (("call", self._calls), ("attribute", self._attributes), ("proxies", self._proxies))
        by_root = defaultdict(list)
        for kind, facts in kinds:
            for target, value in facts.items():
                by_root[target.partition(".")[0]].append((kind, target, value))
        return dict(by_root)


_ENTRY = "__enter__"


def _requested(entry: Blocking, hop: str) -> bool:
    """Whether ``hop`` (an attribute, or a call's result ``name()``, reached from an object of
    ``entry``'s API) is what a request returned: data, not the API (a consumer's
    ``poll()``); not what a chained method, one that does no I/O or a collection's makes."""
    name = hop.removesuffix("()")
    made = name in entry.unless_methods or name in entry.collections or entry.chained(name)
    return hop.endswith("()") and not made


def _past_chained(entry: Blocking, hops: list[str]) -> list[str]:
    """``hops`` from the first that is not a chained method of ``entry``'s API on."""
    for i, hop in enumerate(hops):
        if not entry.chained(hop.removesuffix("()")):
            return hops[i:]
    return []


def _private(name: str) -> bool:
    return name.startswith("_") and not name.endswith("__")


def catalogue_with(extra: tuple[Blocking, ...] = ()) -> Catalogue:
    """The built-in catalogue, with the user-configured entries ``extra`` added (they win
    over built-ins); one per ``extra``, however it is passed."""
    return _catalogue(extra)


@cache  # ``catalogue_with()`` and ``catalogue_with(())`` are one call here, two to ``cache``
def _catalogue(extra: tuple[Blocking, ...]) -> Catalogue:
    return Catalogue(
        (*(entry for family in _FAMILIES for entry in family.BLOCKING), *extra),
        tuple(entry for family in _FAMILIES for entry in family.RETURNS),
    )
