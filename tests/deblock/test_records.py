"""A record prints, compares and hashes as the dataclass made with the same options."""

from __future__ import annotations

import dataclasses

import pytest

from deblock.records import record

OPTIONS = [{}, {"slots": True}, {"frozen": True}, {"eq": False}, {"eq": False, "slots": True}]


def _point(decorator):
    @decorator
    class Point:
        x: int
        tags: tuple = ()
        note: str = dataclasses.field(default="", repr=False)
        seen: int = dataclasses.field(default=0, compare=False)

    return Point


@pytest.mark.parametrize("options", OPTIONS)
def test_a_record_behaves_as_its_dataclass(options):
    made = _point(dataclasses.dataclass(**options))
    recorded = _point(record(**options))
    pairs = [((1, ("a",)), {}), ((1, ("a",)), {"seen": 5, "note": "n"}), ((2,), {})]
    for (args, kwargs), (other, other_kwargs) in zip(pairs, pairs[1:] + pairs[:1], strict=True):
        a, b = made(*args, **kwargs), made(*other, **other_kwargs)
        c, d = recorded(*args, **kwargs), recorded(*other, **other_kwargs)
        assert repr(c) == repr(a)
        assert (c == d) == (a == b)
        assert (c == c) == (a == a)
        assert (c != 3) == (a != 3)
        if made.__hash__ is None:
            assert recorded.__hash__ is None
        elif options.get("frozen"):
            assert hash(c) == hash(a)
    assert hasattr(recorded, "__slots__") == hasattr(made, "__slots__")
    assert recorded.__match_args__ == made.__match_args__
    assert dataclasses.is_dataclass(recorded)


def test_a_record_that_holds_itself_prints_as_a_dataclass_does():
    made = _point(dataclasses.dataclass)(1)
    recorded = _point(record)(1)
    made.tags, recorded.tags = (made,), (recorded,)
    assert repr(recorded) == repr(made)
