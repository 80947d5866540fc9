"""The catalogue of blocking calls is built once per set of configured entries."""

from __future__ import annotations

from deblock.rules import Catalogue, catalogue_with
from deblock.rules.model import Blocking


def test_no_configured_entries_give_one_catalogue_however_they_are_passed():
    """The analyzer passes its options' empty tuple, the project index and the settings
    pass nothing: one catalogue (and one of each of its memos) serves them all."""
    assert catalogue_with() is catalogue_with(()) is catalogue_with(extra=())


def test_configured_entries_give_a_catalogue_of_their_own():
    extra = (Blocking("app.db.query", "DBK790", "configured"),)
    assert catalogue_with(extra) is catalogue_with(extra=extra) is not catalogue_with()
    assert catalogue_with(extra).blocking("app.db.query") == extra[0]


def test_a_name_under_no_wildcards_package_looks_up_none_of_its_heads():
    """A class wildcard (``sqlite3.Connection.*``) covers only names under its top-level
    package: a project's name is answered without a lookup of each of its heads (~90 % of
    the module pass's asks), and a configured wildcard's package is looked up still."""
    extra = (Blocking("app.store.Client.*", "DBK790", "configured"),)
    built = catalogue_with(extra)
    catalogue = Catalogue(built.entries, built.returns)  # its lookups counted apart
    looked: list[str] = []

    class Counted(dict):
        def get(self, key, default=None):
            looked.append(key)
            return super().get(key, default)

    catalogue._prefixes = Counted(catalogue._prefixes)
    assert catalogue.blocking("shop.store.Client.query") is None
    assert looked == []
    assert catalogue.blocking("app.store.Client.query") == extra[0]
    assert looked == ["app.store.Client"]
