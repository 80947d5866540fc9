"""The catalogue of blocking calls is built once per set of configured entries."""

from __future__ import annotations

from deblock.rules import catalogue_with
from deblock.rules.model import Blocking


def test_no_configured_entries_give_one_catalogue_however_they_are_passed():
    """The analyzer passes its options' empty tuple, the project index and the settings
    pass nothing: one catalogue (and one of each of its memos) serves them all."""
    assert catalogue_with() is catalogue_with(()) is catalogue_with(extra=())


def test_configured_entries_give_a_catalogue_of_their_own():
    extra = (Blocking("app.db.query", "DBK790", "configured"),)
    assert catalogue_with(extra) is catalogue_with(extra=extra) is not catalogue_with()
    assert catalogue_with(extra).blocking("app.db.query") == extra[0]
