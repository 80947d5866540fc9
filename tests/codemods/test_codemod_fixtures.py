"""Each codemod turns every ``.before.py`` fixture into its ``.after.py``, and stops there."""

from __future__ import annotations

import pytest
from codemod_cases import after_of, case_id, cases, fix_case, run_codemod

CASES = cases()


@pytest.mark.parametrize("before", CASES, ids=[case_id(c) for c in CASES])
def test_before_becomes_after(before):
    assert fix_case(before) == after_of(before).read_text(encoding="utf-8")


@pytest.mark.parametrize("before", CASES, ids=[case_id(c) for c in CASES])
def test_after_compiles_and_is_a_fixed_point(before):
    after = after_of(before)
    text = after.read_text(encoding="utf-8")
    compile(text, str(after), "exec", dont_inherit=True)
    strategy = before.parent.name.replace("_", "-")
    assert run_codemod(strategy, text, str(before)) == text


def test_every_strategy_has_fixtures():
    from deblock.codemods.registry import CODEMODS

    covered = {c.parent.name.replace("_", "-") for c in CASES}
    assert set(CODEMODS) <= covered
