"""The resolver's memos: what a binding resolves to does not depend on which binding was
asked first, where bindings refer to each other in a cycle; what a call runs is resolved
once per question asked while no binding is busy."""

from __future__ import annotations

import ast
import itertools
from pathlib import Path

import pytest

from deblock.analysis import AnalysisOptions
from deblock.analysis.checker import _parse, _walked
from deblock.analysis.flow import Reaching
from deblock.analysis.resolver import Resolver
from deblock.analysis.scopes import Scope
from deblock.analysis.symbols import Obj

FIXTURES = Path(__file__).parent / "fixtures" / "resolver"
NAMES = ("timeout", "orig_timeout", "buffer")


def resolver_of(name: str) -> Resolver:
    """The resolver of a fresh analysis of fixture module ``name``."""
    path = str(FIXTURES / f"{name}.py")
    source = (FIXTURES / f"{name}.py").read_text()
    _, judge = _walked(_parse(source, path), source, path, (name, False), AnalysisOptions())
    return judge.resolver


def answers(order: tuple[str, ...]) -> dict[str, str]:
    """What each attribute of ``cycle.Timeouts`` resolves to, asked in ``order``."""
    resolver = resolver_of("cycle")
    return {name: repr(resolver._attribute(Obj("cycle.Timeouts"), name)) for name in order}


@pytest.mark.parametrize("order", list(itertools.permutations(NAMES)), ids="-".join)
def test_an_attribute_resolves_alike_whichever_is_asked_first(order):
    assert answers(order) == answers(NAMES)


def test_a_cycle_is_resolved_once_per_question(monkeypatch):
    """Results a cycle was cut in are kept while its question is answered: kept nowhere,
    the seven bindings of ``moves.Table.cursor`` took 13,708 resolutions per question
    (textual's DataTable 165,055 for its module)."""
    resolver = resolver_of("moves")
    steps = []
    resolve_binding = Resolver._resolve_binding
    monkeypatch.setattr(
        Resolver, "_resolve_binding", lambda self, b: steps.append(b) or resolve_binding(self, b)
    )
    for _ in range(3):
        steps.clear()
        assert resolver._attribute(Obj("moves.Table"), "cursor") == Obj("moves.Cursor")
        assert len(steps) < 100, len(steps)


def rebinding(resolver: Resolver) -> tuple[ast.expr, Scope, Reaching | None]:
    """The question a call of ``rebound.Context.__init__``'s second assignment asks: its
    function, scope and reaching bindings (those of the assignment's binding)."""
    binding = resolver.classes["rebound.Context"].attributes["decompressor"][-1]
    return binding.expr.func, binding.scope, binding.reaching


@pytest.mark.parametrize("call_first", [True, False], ids=["call-first", "attribute-first"])
def test_a_call_asked_within_its_own_binding_is_answered_afresh(call_first):
    """Asked first at the top, the call's answer went through the assignment it stands
    in; inside that assignment's resolution the assignment is busy, and a fresh answer
    cuts there: a memo of every question at any depth made the attribute
    ``ZstdDecompressor.decompressobj().decompressobj()`` (discord.py's ``utils.py``)."""
    resolver = resolver_of("rebound")
    if call_first:
        resolver.called(*rebinding(resolver))
    answer = resolver._attribute(Obj("rebound.Context"), "decompressor")
    made = Obj("zstandard.ZstdDecompressor")
    assert answer == Obj("zstandard.ZstdDecompressor.decompressobj()", "", (made,))


def test_a_call_asked_again_at_the_top_is_resolved_once(monkeypatch):
    """The checker and the summary ask again what the same call runs (a third of the
    ``called`` questions of anyio, aiohttp and textual were asked before): answered
    once while no binding is busy."""
    resolver = resolver_of("rebound")
    question = rebinding(resolver)
    first = resolver.called(*question)
    steps = []
    resolve = Resolver.resolve
    monkeypatch.setattr(Resolver, "resolve", lambda self, *a: steps.append(a) or resolve(self, *a))
    assert resolver.called(*question) == first
    assert steps == []
