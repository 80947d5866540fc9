"""Project-wide analysis over a fixture package: chains across modules, twins, bridges."""

import gc
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest
from expectations import expected_findings

from deblock.analysis import analyze_source
from deblock.analysis.summary import ModuleSummary
from deblock.config import load_settings
from deblock.project.findings import project_findings
from deblock.project.summaries import ModuleSummaries
from deblock.runner import analyze_paths

SHOP = Path(__file__).parent / "fixtures" / "shop"


@pytest.fixture
def reports(monkeypatch):
    monkeypatch.chdir(SHOP)
    paths = sorted(str(p.relative_to(SHOP)) for p in SHOP.rglob("*.py"))
    return [analyze_source(Path(p).read_text(), p) for p in paths]


def test_module_and_project_findings_are_exactly_the_expected_ones(reports):
    findings = [f for r in reports for f in r.findings]
    findings += project_findings(ModuleSummaries(r.summary for r in reports))
    found = Counter((f.path, f.line, f.code) for f in findings)
    expected = Counter()
    for report in reports:
        expected += expected_findings(
            Path(SHOP / report.summary.path).read_text(), report.summary.path
        )
    assert found == expected


def test_chain_names_every_step_and_the_blocking_call_with_its_place(reports):
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    chained = {f.line: f for f in findings if f.code == "DBK801"}
    assert chained[19].chain == ("helper_chain", "_pause", "time.sleep (shop/utils/disk.py:6)")
    assert "helper_chain → _pause → time.sleep (shop/utils/disk.py:6)" in chained[19].message
    assert chained[25].chain[:2] == ("Repository.read", "load")
    assert chained[19].target == "shop.utils.disk.helper_chain"
    assert (chained[19].strategy, chained[19].unsafe_strategy) == (None, "to-thread")


def test_chain_follows_what_always_runs_over_a_branch(reports):
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    chained = {f.line: f for f in findings if f.path == "shop/checkout.py" and f.code == "DBK801"}
    assert chained[14].chain == ("greeting", "_pause", "time.sleep (shop/utils/disk.py:6)")
    # the sync client ``Assistant.http`` makes loads the CA bundle (DBK301) as it is made
    assert chained[12].chain == ("Assistant.http", "httpx.Client (shop/assistant.py:20)")


def test_receiver_types_cross_modules_through_properties_and_method_results(reports):
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    targets = {
        f.line: f.target for f in findings if f.path == "shop/checkout.py" and f.code != "DBK801"
    }
    assert targets[10] == "groq.Groq.chat.completions.create"
    assert targets[11] == "pathlib.Path.mkdir"
    assert targets[12] == "httpx.Client.get"


def test_module_names_follow_packages(reports):
    modules = {r.summary.module for r in reports}
    assert {"shop.handlers", "shop.utils.disk", "shop"} <= modules


def test_summaries_survive_their_json_form(reports):
    summaries = [
        ModuleSummary.from_dict(json.loads(json.dumps(r.summary.to_dict()))) for r in reports
    ]
    assert project_findings(ModuleSummaries(summaries)) == project_findings(
        ModuleSummaries(r.summary for r in reports)
    )


def test_modules_without_coroutines_are_summarised_only_when_reached(
    reports, tmp_path, monkeypatch
):
    from deblock.project.run_summaries import RunSummaries

    summarised = []

    class Recorded(RunSummaries):
        def summarise(self, paths):
            summarised.extend(paths)
            return super().summarise(paths)

    monkeypatch.setattr("deblock.project.run_summaries.RunSummaries", Recorded)
    everything = [f for r in reports for f in r.findings]
    everything += project_findings(ModuleSummaries(r.summary for r in reports))
    shutil.copytree(SHOP, tmp_path / "copy")
    monkeypatch.chdir(tmp_path / "copy")
    run = analyze_paths(["."], load_settings(["."]), jobs=1)
    assert Counter(run.findings) == Counter(map(_declined_like(run.findings), everything))
    assert "shop/base.py" in summarised
    assert not {"shop/__init__.py", "shop/utils/__init__.py"} & set(summarised)


def _declined_like(found):
    """A finding of the module and project passes as the run gives it once the run's own
    declines apply (a resource touched on the loop beside a section, ``shared_io``): its
    safe fix offered as unsafe, for the run's reason. Nothing else may differ."""
    declined = {(f.path, f.line, f.col, f.code): f for f in found if f.declined}

    def like(finding):
        run = declined.get((finding.path, finding.line, finding.col, finding.code))
        if run is None or finding.declined or finding.strategy is None:
            return finding
        return finding._replace(
            strategy=None, unsafe_strategy=finding.strategy, declined=run.declined
        )

    return like


def _by_target(reports) -> dict[str, list]:
    found = [f for r in reports for f in r.findings]
    found += project_findings(ModuleSummaries(r.summary for r in reports))
    by_target = {}
    for finding in found:
        by_target.setdefault(finding.target, []).append(finding)
    return by_target


def test_a_breaker_knows_whether_it_is_handed_a_coroutine_function_of_another_module(reports):
    calls = _by_target(reports)["shop.breaker.CircuitBreaker.call"]
    handed = {f.line: f.handed_coroutine for f in calls}
    assert sorted(handed.values()) == [False, False, True]  # print, print, disk.save


def test_a_twin_is_swapped_only_when_its_signature_matches_and_it_does_not_reach_the_call(
    reports,
):
    """A pair whose parameters differ is no twins: its call is judged by what the sync
    method does (``all_files`` lists a folder, ``label`` formats a string); so is a call
    the twin itself reaches (``aget`` → ``_fetch`` → ``get``, which returns the key: no
    finding there), whichever module the project pass judges first."""
    by_target = _by_target(reports)
    (paged,) = by_target["shop.archive.Archive.all_files"]
    assert (paged.code, paged.unsafe_strategy) == ("DBK801", "to-thread")
    assert "aall_files" not in paged.message
    assert "shop.archive.Archive.label" not in by_target
    (swapped,) = by_target["shop.archive.Archive.get"]
    assert swapped.path == "shop/handlers.py"
    assert (swapped.strategy, swapped.unsafe_strategy) == ("call-twin", None)


def test_a_name_bound_by_with_holds_what_enter_returns(reports):
    """``with Client() as session``: the twins are the client's, ``__enter__`` returns a
    session without them (gql's ``Client``); ``with Pool() as pool`` enters as itself."""
    by_target = _by_target(reports)
    (pool,) = by_target["shop.sessions.Pool.run"]
    assert (pool.strategy, pool.unsafe_strategy) == ("call-twin", None)
    assert "shop.sessions.Client.run" not in by_target


def test_iterating_a_generator_of_another_module_is_reported_at_the_iteration(reports):
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    exported = {f.line: f for f in findings if f.path == "shop/exports.py" and f.line < 12}
    assert set(exported) == {6, 8, 11}  # a generator made and not iterated runs nothing
    assert exported[6].chain == ("read_rows", "builtins.open (shop/utils/rows.py:7)")
    assert exported[6].message.startswith("iterating over `read_rows(path)` runs a generator")
    assert exported[6].target == "shop.utils.rows.read_rows"
    assert exported[6].lazy_result  # its fix lists it in the thread
    assert exported[8].chain[0] == "Export.lines"
    assert exported[11].message.startswith("iterating over `read_rows(path)`")  # sorted(...)


def test_a_generator_taken_by_a_call_that_may_stop_early_is_reported_without_a_fix(reports):
    """``any(read_rows(p))`` and ``next(read_rows(p))`` run the generator's body up to
    where they stop: listing it whole in a thread would run more of it."""
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    early = [f for f in findings if f.path == "shop/exports.py" and f.line == 15]
    assert [f.col for f in early] == [16, 39]
    assert all(f.unfixable.startswith("it may stop before the end") for f in early)
    assert not any(f.fixable for f in early)


def test_a_file_a_project_function_returns_iterated_is_reported_but_not_moved_alone(reports):
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    (iterated,) = [f for f in findings if f.path == "shop/exports.py" and f.code == "DBK202"]
    assert iterated.unfixable.startswith("the iteration blocks, not the call")


def test_a_sync_function_that_iterates_a_generator_blocks_through_it(reports):
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    chains = sorted(f.chain for f in findings if f.path == "shop/exports.py" and f.line > 27)
    assert chains[:3] == [
        ("all_rows", "read_rows", "builtins.open (shop/utils/rows.py:7)"),
        ("held_rows", "read_rows", "builtins.open (shop/utils/rows.py:7)"),  # list(rows)
        ("local_lines", "builtins.open (shop/exports.py:43)"),
    ]
    assert chains[3] == ("more_rows", "read_rows", "builtins.open (shop/utils/rows.py:7)")


def test_what_a_name_holds_str_join_and_generator_expressions_iterate_a_generator(reports):
    """``rows = read_rows(path)`` runs nothing; ``for row in rows``, ``list(rows)`` do, as
    do ``", ".join(read_rows(path))`` and ``sum(1 for _ in read_rows(path))`` (the first
    ``for`` of a generator expression runs as the consumer takes its items)."""
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    held = {f.line: f for f in findings if f.path == "shop/exports.py" and 31 < f.line < 41}
    assert set(held) == {34, 37, 38, 39}
    assert held[34].message.startswith("iterating over `rows` runs a generator that blocks")
    assert held[34].target == "shop.utils.rows.read_rows"
    assert held[37].message.startswith("iterating over `read_rows(path)`")  # ", ".join(...)
    assert held[38].message.startswith("iterating over `read_rows(path)`")  # sum(1 for ...)
    assert held[39].message.startswith("iterating over `kept`")  # list(kept)
    assert all(f.lazy_result for f in held.values())
    made_before = "the generator was made before this line: list it in a worker thread by hand"
    assert [held[line].unfixable for line in (34, 37, 38, 39)] == [
        made_before,
        None,
        None,
        made_before,
    ]


def test_a_call_passing_a_false_constant_skips_what_runs_only_when_it_is_true(reports):
    """``queue.get(block=False)``, ``queue.get(False)`` and ``get_nowait()`` (which passes
    it on) never reach the ``wait`` that ``get`` makes only when ``block`` is true; a
    parameter the body rebinds no longer says what the caller passed."""
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    assert sorted(f.line for f in findings if f.path == "shop/taking.py") == [7, 8, 13, 18]
    functions = {q: f for r in reports for q, f in r.summary.functions.items()}
    waiting = "shop.utils.waiting.Waiting"
    assert functions[f"{waiting}.get"].only_if == [(19, "block"), (19, "#0")]
    assert functions[f"{waiting}.get_soon"].only_if == ()  # ``block = block or ...``
    assert functions[f"{waiting}.get_nowait"].passes == [(f"{waiting}.get", 23, ("block",))]
    sites = functions["shop.taking.take"].sites
    assert [site.falsy for site in sites] == [(), ("block",), (), (), ()]
    by_place = functions["shop.taking.take_by_place"].sites
    assert [site.falsy for site in by_place] == [("#0",), ()]


def test_making_a_class_blocks_on_what_its_init_always_runs(reports):
    """A project class's call runs the ``__init__`` of its hierarchy: it blocks on what that
    always runs (through the functions it calls), not on what it runs on some paths."""
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    made = {f.line: f for f in findings if f.path == "shop/booking.py"}
    read = "pathlib.Path.read_text (shop/utils/ledgers.py:8)"
    assert made[5].chain == ("Ledger.__init__", read)
    assert made[6].chain == ("Ledger.__init__", read)  # Audited's, inherited
    assert made[7].chain == ("open_ledger", "Ledger.__init__", read)
    assert made[5].target == "shop.utils.ledgers.Ledger"
    assert (made[5].strategy, made[5].unsafe_strategy) == (None, "to-thread")
    assert sorted(made) == [5, 6, 7]


def test_a_returned_lazy_result_is_listed_in_the_thread_only_where_taken_whole(reports):
    """A function that returns a glob, a walk or a scan as it is: its call's fix lists the
    result in the thread where a loop or comprehension takes it whole; none where ``next``
    takes one item, nor for a walk (the caller's loop may prune it); a ``with`` block that
    makes the scan moves whole."""
    findings = project_findings(ModuleSummaries(r.summary for r in reports))
    found = {f.line: f for f in findings if f.path == "shop/browsing.py"}
    assert (found[5].unsafe_strategy, found[5].lazy_result, found[5].declined) == (
        "to-thread",
        True,
        None,
    )
    assert found[6].unsafe_strategy is None and "used as an iterator" in found[6].declined
    assert found[7].unsafe_strategy is None and "returns a directory walk" in found[7].declined
    assert found[8].unsafe_strategy == "to-thread" and found[8].declined is None


def test_the_project_pass_frees_the_summaries_at_once(reports):
    """No reference cycle (the blocking chains holding the judge) keeps the summaries alive
    once the project findings are made: a run pauses the cyclic collector."""
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        project_findings(ModuleSummaries(r.summary for r in reports))
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
