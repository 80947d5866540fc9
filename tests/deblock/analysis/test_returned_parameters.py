"""What a caller drops of an awaited result, and what a coroutine only hands back
(``returned_parameters``): ``CallSite.dropped`` and ``FunctionSummary.returned`` of the
marked lines of ``fixtures/cases/returned_parameters.py``."""

import re
from pathlib import Path

from deblock.analysis import analyze_source
from deblock.analysis.returned_parameters import WHOLE, dropped_parameters, rest_from

CASE = Path(__file__).parent / "fixtures" / "cases" / "returned_parameters.py"
LINES = CASE.read_text(encoding="utf-8").splitlines()
FUNCTIONS = analyze_source("\n".join(LINES), str(CASE)).summary.functions


def _marked(mark: str) -> list[tuple[int, str, list[str]]]:
    return [
        (number, line, line.partition(f"# {mark}:")[2].split())
        for number, line in enumerate(LINES, 1)
        if f"# {mark}:" in line
    ]


def test_a_result_is_dropped_where_the_caller_reads_no_name_it_binds():
    """Awaited as a statement, or bound to names read nowhere (nor through ``locals()``,
    nor global, nor grown in place): dropped whole, or those elements of an unpacked result
    (a starred last target's: every element from its index on, ``rest_from``); a starred
    target before others, a chained target, or a name read later (a nested function's body
    too), keeps it."""
    sites = {s.line: s for f in FUNCTIONS.values() for s in f.sites if s.awaited}
    marked = _marked("dropped")
    assert len(marked) == 14
    for number, _, places in marked:
        assert sites[number].dropped == tuple(map(int, places)), number


def test_a_parameter_named_only_in_returns_is_returned_with_each_place():
    """Returned whole or as a tuple's element, or read only there (``len(log)``,
    ``box.items``); handed on there (``str(log)``), or named anywhere else, not."""
    marked = _marked("returned")
    assert len(marked) == 6
    for _, line, pairs in marked:
        name = re.search(r"def (\w+)", line).group(1)
        expected = tuple(sorted((p, int(i)) for p, _, i in (x.partition("@") for x in pairs)))
        assert FUNCTIONS[f"returned_parameters.{name}"].returned == expected, name


def test_a_parameter_is_dropped_only_where_every_place_it_is_returned_at_is():
    returned = FUNCTIONS["returned_parameters.either"].returned
    assert dropped_parameters(returned, (1,)) == set()  # ``return log`` hands it whole
    assert dropped_parameters(returned, (WHOLE,)) == {"log"}
    pair = FUNCTIONS["returned_parameters.pair"].returned
    assert dropped_parameters(pair, (1,)) == {"log"}
    assert dropped_parameters(pair, (rest_from(1),)) == {"log"}  # ``m, *_``
    assert dropped_parameters(pair, (rest_from(0),)) == {"n", "log"}
    assert dropped_parameters(returned, (rest_from(1),)) == set()  # whole in one branch
