"""A method awaited on an object of unknown class (``await book.peek()``) may run any
coroutine method of that name of the project's classes, but not one whose parameters cannot
take the call's arguments: that call would raise ``TypeError`` before its body ran. A
decorator may change what a method takes, and so may a second ``def`` of it: those stay
candidates; so does a method the call could run on its class with the instance first."""

import pytest

from deblock.analysis.duck_calls import takes
from deblock.config import load_settings
from deblock.runner import analyze_paths


@pytest.mark.parametrize(
    ("signature", "positional", "keywords", "taken"),
    [
        ("word", 0, (), False),  # a parameter without a default left unbound
        ("word", 1, (), True),
        ("word=None", 0, (), True),
        ("", 2, (), False),  # too many by place
        ("", 1, (), True),  # ``kind.peek(obj)``: on a class, the instance first
        ("*args", 5, (), True),
        ("", 0, ("word",), False),  # a keyword it has no parameter for
        ("**kw", 0, ("word",), True),
        ("word", 0, ("word",), True),
        ("word", 2, ("word",), False),  # bound by place and by name
        ("word, /", 0, ("word",), False),  # only by place
        ("word, /, **kw", 1, ("word",), True),
        ("*, word", 0, (), False),
        ("*, word", 0, ("word",), True),
        ('sep="; ", *, end=0; starts tasks; raises unless self.ready', 1, ("end",), True),
        ('sep="; ", *, end; returns int', 0, (), False),
        ("word", -1, (), True),  # ``*args`` or ``**mapping`` in the call: not known
        (None, 0, (), True),  # not known
        ("/, word", 0, (), True),  # ``def peek(self, /, word)``: does not parse, not known
    ],
)
def test_what_a_method_s_parameters_take(signature, positional, keywords, taken):
    assert takes(signature, positional, keywords) is taken


LEDGER = """\
import asyncio
import subprocess


class Ledger:
    def __init__(self):
        self.count = 0

    async def bump(self):
        await asyncio.sleep(0.001)
        self.count += 1

{decorator}    async def peek(self, word):
        subprocess.run(["echo", word])
        return self.count


class Journal:
    async def peek(self):
        await asyncio.sleep(0)


async def look(book):
    seen = book.count
    await book.{call}
    return seen == book.count
"""


def _declined(tmp_path, source: str) -> str | None:
    (tmp_path / "program.py").write_text(source)
    (tmp_path / "empty.toml").touch()
    files = analyze_paths(
        [str(tmp_path)], load_settings([str(tmp_path)], tmp_path / "empty.toml"), jobs=1
    ).files
    (finding,) = next(iter(files.values()))
    assert finding.code == "DBK401"
    return finding.declined


TORN = "reads `book` twice, which may hold an object other code changes across awaits of coroutines"


@pytest.mark.parametrize(
    "call",
    ['peek("word")', "peek(word='word')", "peek(*words)", "peek(**words)", 'peek(kind, "w")'],
)
def test_a_method_that_may_take_the_arguments_is_awaited_there(tmp_path, call):
    """``Ledger.peek`` never suspends, so ``look``'s two reads stay together: its fix is
    declined."""
    assert TORN in _declined(tmp_path, LEDGER.format(decorator="", call=call))


@pytest.mark.parametrize("call", ["peek()", "peek(words='w')", 'peek("a", "b", "c")'])
def test_a_method_that_cannot_take_the_arguments_is_not(tmp_path, call):
    """What ``look`` awaits is ``Journal.peek``, which suspends: ``Ledger.peek``'s fix is
    made (``runtime_projects/duck_signature`` runs it)."""
    assert _declined(tmp_path, LEDGER.format(decorator="", call=call)) is None


def test_a_decorated_method_may_take_anything(tmp_path):
    decorator = "    @functools.cache\n"
    source = "import functools\n" + LEDGER.format(decorator=decorator, call="peek()")
    assert TORN in _declined(tmp_path, source)


def test_a_method_defined_twice_may_take_what_either_takes(tmp_path):
    twice = "    async def peek(self):\n        pass\n\n"
    assert TORN in _declined(tmp_path, LEDGER.format(decorator=twice, call="peek()"))
