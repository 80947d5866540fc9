"""The persistent check cache.

One JSON file per deblock version and analysis configuration
(``<cache dir>/<version>/<fingerprint>.json``) maps each checked file's absolute path to
its size, ``mtime_ns`` and content digest, followed by its outcome's fields. An unchanged
``(size, mtime_ns)`` answers without reading the file; otherwise an unchanged content
digest answers without analysing it (a fresh clone in CI). A run over a few of the cached
files (pre-commit) appends its new entries to a journal beside the file (``-log``) instead
of rewriting it, and finds its files' entries in the file's text without parsing the
rest; the next run over most files folds the journal in. A corrupt or unreadable cache is
treated as empty.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path

from deblock import __version__
from deblock.json_files import (
    append,
    lines_of,
    modified,
    remove,
    remove_stale,
    size_of,
    text_of,
    value_in,
    write_json,
    write_text,
)
from deblock.summary_store import SummaryStore

try:  # hashlib's own BLAKE2: importing hashlib also loads OpenSSL's (~2 ms per run)
    from _blake2 import blake2b
except ImportError:  # a Python built without it
    from hashlib import blake2b

# Bump when the shape of a cached outcome changes (3: module summaries kept apart;
# 4: findings before noqa comments apply, with those comments; 5: methods' parameters
# in class summaries; 6: summaries' calls say whether they always run; 7: findings' fix
# facts: arguments that block, blocks that stay on the loop; 8: the sections a fix moves
# together; 9: functions' blocking calls made on attributes of ``self``; 10: a module
# commits to no async library unless it imports one or names a loop-bound asyncio name;
# 11: the module's own thread bridges; 12: generator functions, and iterated call sites;
# 13: an outcome is a list of fields, following its file's stat and digest; 14: module
# summaries in 256 shards; 15: summaries say what their thread helpers touch; 16: and
# the runs of statements between awaits of their coroutines; 17: whether a module runs as
# a program; 18: class summaries say which coroutine methods run the instance's sync code
# in a worker thread; 19: twin findings name the run of statements between awaits
# holding them; 20: call sites say why an await there would change the program; 21: sync
# functions' steps past a guard that refuses to run on a loop are left out, and outcomes
# hold the new rules' findings (DBK703, globs, compressed files, a process's pipes); 22:
# call sites say whether they are awaited and the deadline their coroutine runs under,
# functions their last line, project findings the coroutines run under a deadline; 23:
# and those coroutines' names); 24: consumers of what a name holds, `str.join` and
# generator expressions handed to consumers iterate a generator); 25: call steps and sites
# say which keywords they pass a false constant, sync functions the steps that run only
# when a parameter is truthy); 26: cleanup code a section moves into its thread with its
# whole `try` is fixed); 27: `any`, `all` and `next` iterate a generator too; 28: a name a
# `with` binds holds what `__enter__` returns; 29: and class summaries say so when it is
# not the instance); 30: union annotations and isinstance narrowing; 31: positional false
# arguments; 32: making a project class runs its `__init__`; 33: psycopg2's client-side
# calls, and narrowing where the test fails; 34: project code holding a sqlite3 connection
# gets no fix; 35: sync functions say which lazy result they return; 36: the analyzer
# declines lazy results not taken whole, and sites say whether they open a `with` block;
# 37: task-starting methods' signatures; 38: call sites' keyword names; 39: an HTTP
# client's `patch` is no mock patch;
# 40: findings say why a block cannot leave its coroutine (`block_stays`:
# it awaits, returns midway, the coroutine reads its handle after it); 41: and how an open
# block's fix rewrites it (`open_form`); 42: a twin method that starts tasks is not
# bridged; 43: a finding opening a block that must stay has no fix; 44: a block whose
# handle only it binds, read after it, may move (no block_stays); 45: sync functions'
# first call that needs the event loop, the call sites a safe fix moves into a thread, and
# the project's fixes declined for them); 46: a module's await hazards fall on the findings
# they are about (f93fd0c); 47: a blocking helper that needs the event loop gets no fix;
# 48: coroutines say whether they suspend and their runs across awaits of project code,
# and the project's kept spans name a resource; 49: the state a coroutine that never
# suspends touches (FunctionSummary.state); 50: findings name the common lock of their
# package's sections (`lock`), kept with the shared resources' declines; 51: no await in
# the body of a loop over shared state the module changes; 52: module summaries say which
# resources' thread helpers all hold the common lock (`common`).
# 53: modules list their names that hold instances, and a call of an instance is its
# class's `__call__`, not its constructor.
# 54: a console prompt's thread bridge is an unsafe fix (DBK701); 55: a shared resource's
# decline names a call left on the event loop before other modules' threads; 56: the
# events of a coroutine's runs say which branches of an if or match they lie in.
# 58: findings whose fix cannot be written out are `unfixable` (fix_shapes), and so are
# the call sites the project pass makes them from; `create-subprocess` is named only where
# it applies. 60: nonlocal names count as shared state in the runs between awaits too;
# 61: blocks calling super() without arguments stay; 62, 63: code reading the exception
# being handled stays. 64: every coroutine that never suspends records the state it touches;
# 65: runs record the caller's reads of its self.x and globals.
# 66: `async-client` is named only where it applies (client_switch). 67: only the coroutines
# awaited in their module (or with a fix of their own) record their state.
# 73: a section's `with` blocks are fixed with it; thread helpers' temporary files are theirs.
# 74: a `:=` an `if` or loop test always evaluates binds for sure; calls in a class body
# inside a coroutine are its findings. 75: a sync function's `urlopen` of a `data:` URI
# is no blocking step (library summaries are cached by FORMAT, not by the catalogue).
# 76: a sleep's swap is safe only for a delay shown neither negative nor NaN.
# 77: a coroutine that demands more of the instance than its sync method is no twin.
# 78: a `set` through an attribute the module gives a `ContextVar` stays on the loop.
# 79: awaiting the project's own bridge (a configured `thread-bridge`) gives what it runs.
# 80: a class wildcard of the catalogue leaves out what is reached through private attributes.
# 81: a name only a section's last statement binds is no reason to decline it after a raise.
# 82: a twin whose return annotation differs from its sync method's is no twin.
# 83: an iteration that blocks has no fix of its own but async-for's (a section may move it).
# 84: what is left of a declined section between its calls' own unsafe fixes is offered as unsafe.
# 85: os.fdopen is no blocking open (it wraps a descriptor already open).
# 86: an outcome says where its module steps coroutines by hand.
# 87: summaries carry the lines of lone tests: a call one leaves on the loop declines no
# fix of another (pytest runs one test at a time).
# 88: *args: T gathers a tuple of T, **kwargs: T a mapping of names to T.
# 89: a project call making the context manager of a block that must stay has no fix.
# 90: a call the project pass leaves on the loop (a deadline, a call needing the loop)
# declines the module's fixes beside it on the file system.
# 91: a project helper's call inside a lone test's moving section declines it.
# 92: a test only a comment names is a lone test (names in code and words of strings count).
# 93: call sites an unsafe fix moves are marked too; moving a call needing the loop: no fix.
# 94: state a run reads twice around a blocking call, written elsewhere, makes a section.
# 95: a read that a loop of the run repeats counts twice.
# 96: a sync method that starts tasks its coroutine twin awaits is no twin (a project call).
# 97: a lambda in a nested function's decorator is no line of its lone test.
# 98: a section whose lazy result is iterated after it, on the loop, is declined.
# 99: making a project class whose __init__ needs the event loop gets no fix.
# 100: a thread-affine object's name that a later blocking call rebinds is used by it there.
# 101: runs that run on into each other across a block's edge, on one resource, are declined.
# 102: a use in a loop holding the section still counts as the section object's.
# 103: a suspending callee's statements before its first suspension and after its last
# count in its callers' atomic runs (FunctionSummary.suspended).
# 104: a call declined after the sections were planned declines the safe fixes beside it.
# 105: using a lazy result's name is its call's access in the section planner.
# 106: a lazy result's uses are events of its coroutine's atomic runs (FunctionSummary.runs).
# 107: whether a coroutine suspends is its suspension lines' (no `suspends` of its own).
# 108: a run's accesses of two shared things stay in one section; what a call of a sync
# helper of the module touches counts where it is called (HelperEffects).
# 109: an `async with` on an asyncio lock no holder waits on is no suspension point.
# 110: a sqlite3 database's calls touch the file system (its files), not "the database";
# one in memory (and what its connection's methods return) touches no shared resource.
# 111: a sync function that acts on the loop's thread or context, uses thread-local data or
# changes os.environ must run on the loop's thread (FunctionSummary.loop), as one needing it.
# 112: a sync function that reads the exception being handled, outside its own `except`, or
# lets a StopIteration out of next() must run on the loop's thread (FunctionSummary.loop).
# 113: so does one that sets a ContextVar its module holds in an attribute (CTX.var.set).
# 114: a project's tests and programs meet another project's modules only where their
# processes may load them (plugins where their host loads, transitively).
# 115: other modules' globals and helpers count where a run reaches them (imported state,
# sync helper calls as run events, FunctionSummary.called, ModuleSummary.reaches/moved).
# 116: a fix that carries project calls into its thread (a lazy listing, a call taken
# whole, a section) is judged by their own fixes (project/carried.py).
# 117: a section names the state it shares with other code of its module (Finding.state):
# when one such section stays on the event loop, the others do too; a parameter's attribute
# may be any instance's; ModuleSummary.reaches counts `from store import TABLE; TABLE[k] = v`.
# 118: in a run over projects bearing the same top-level names, each resolves names in a
# namespace of its own (project/namespaces.py).
# 119: textual's @work(thread=True) methods give no blocking call (FunctionSummary.is_async);
# calls through functools.partial, calls bridged beside, constant if tests, input() carried.
# 120: a sync function's summary holds the module state a call writes (FunctionSummary.writes).
# 121: a sync helper's reads of the module's state count at its calls (HelperEffects).
# 122: a suspending coroutine's state before its first suspension and after its last
# (FunctionSummary.edges); runs joined across blocks' edges and an ordered asyncio.Lock.
# 123: the end of an ordered asyncio.Lock's body runs on into what follows it; a sync call
# site's run joined across blocks' edges (atomic_runs.called_runs).
# 124: another module's data a module imports and changes in place is state; a parameter
# its function changes in place may be another's (p.append, p[k] = v, p.flush(), helper(p)).
# 125: what runs before an ordered asyncio.Lock's async with runs on into its body's start.
# 126: a coroutine's accesses of its parameters' state count at its callers' awaits, as
# the state they pass (CallSite.arguments, FunctionSummary.parameters).
# 127: the other modules' names a module enters with `async with`, untyped (ModuleSummary.locks);
# the globals a module's fixes move name their module, its own it changes in place reach it;
# the globals a run reads twice around a safe fix, which the module never writes (reread).
# 128: a chain of runs joined across blocks' edges is judged from its first run to its last.
# 129: a sync function's parameters it changes in place (FunctionSummary.changes), a sync
# call site's arguments and its run's reads of them (FunctionSummary.called).
# 130: a module's own globals its functions read or rebind count among those it reaches;
# a name imported from another module that a run reads twice is reread too.
# 131: the parameters a call binds by place read one way (shared_state.positional_parameters).
# 132: the runs before and after an ordered asyncio.Lock's async with join every run of its body.
# 133: the parameters' state a coroutine's sections move (FunctionSummary.moves), and what of
# the state it hands another module's coroutine its module writes (loop_writes).
# 134: each event of an awaited run has the place of the innermost statement making it, and
# the loop whose rounds run it again (atomic_runs.Event).
# 135: a caller's two reads of a file system or database the project writes tear across an
# await a fix adds (the project findings cached before lack those declines).
# 136: loop_writes for every coroutine it awaits (its instance, to its own methods), and the
# runs of a coroutine that hands its state to one it awaits.
# 137: a method a call resolves to a library's changes no parameter (FunctionSummary.changes).
# 138: findings are cached without the fields that hold their defaults.
# 139: an awaited method's receiver that is the caller's state (CallSite.arguments, "."),
# a run's reads of its parameters' state, loop_writes naming the parameter and self.*, the
# classes whose instances' attributes a module writes (ModuleSummary.instances_written).
# 140: a suspending coroutine's uses of lazy results (FunctionSummary.lazy).
# 141: awaits of methods on objects of unknown class are call sites (duck_calls).
# 142: every awaited method call on an unknown receiver, and items as receivers.
# 143: other modules' objects a coroutine awaits a method of or hands one it awaits are its
# runs' state (atomic_runs.awaited_objects: CallSite.arguments, runs, edges).
# 144: a fix between a test of `self.x` or a global and its write after an await is
# declined (SectionPlanner._keep_checks).
# 145: a run that writes one thing and reads another other code writes is torn (the
# project findings cached before lack those declines).
# 146: a store of an attribute of another module's global (`store.LEDGER.count = n`)
# writes the global (ModuleSummary.reaches).
# 147: a run's reads of the arguments handing its state are the calls' part, its other
# reads in their statements its own (atomic_runs.handed_nodes).
# 148: an instance's attribute its class gives no type may hold any object, which other
# code writes, and its awaited methods are duck-typed calls (the project findings cached
# before lack those declines).
# 149: a parameter handed to a coroutine may hold any object, which other code writes (the
# project findings cached before lack those declines).
# 150: loop_writes of a coroutine with runs names every write of its instance's and the
# module's state, handed or not.
# 151: the nineteenth session's fuzzing: a duck-typed call's candidates are those whose
# parameters take its arguments (ClassSummary.loose); a global or the instance handed to a
# sync function that changes it is written there (StateAccess.changed, _handed_by,
# ModuleState.writes, module_globals._changers); a suspending callee's head and tail count
# the coroutines it awaits there (atomic_callers._inner).
# 152: a fix that writes sys.stdout or sys.stderr beside a write of it on the event loop, no
# await between, is declined (SectionPlanner._keep_streams), and so is one after a test of an
# untyped path up to a file-system write that takes it (SectionPlanner._keep_path_checks).
# 153: the state a module hands a project function (ModuleSummary.handed) and an instance's
# attribute read twice (ModuleSummary.reread): another module's sync function changing what
# it is handed writes it, and globals are known through re-exports (ProjectIndex.global_name).
# 154: module_globals' spans name the coroutine holding their lines (they named the module
# or function using the global, so a fix's re-analysis lost them); kept spans cached before.
# 155: an attribute of a module imported by its dotted name (`pkg.store.LEDGER` of `import
# pkg.store`) is that module's global (ModuleSummary.reaches), and the torn rule knows a
# global through re-exports too (atomic_callers._written).
# 156: the modules no call site reaches that name a global read twice around a safe fix,
# or moved by one, are summarised before the project pass weighs who writes it
# (ModuleSummaries.naming; project findings cached before lack those declines); and what
# follows an `if` whose body ends in `return` lies in its other branch (atomic_runs._branches,
# FunctionSummary.runs); the torn rule counts state handed to a sync function changing it
# as written (module_globals.changed_state).
# 157: a coroutine that never suspends records its state wherever it is awaited from, and
# runs, state and edges count other modules' globals a module reaches through its imports
# (`helpers.COUNT`, `LEDGER.count`): the torn rule maps them to the caller's names.
# 158: a sync function's writes name what it writes of its imports as the module names it
# (`LOG` of `from store import LOG`, not `helpers.LOG`), and a coroutine's called runs its
# reads of other modules' globals (helper_writes maps a helper's writes to the caller's names).
# 160: a test of an untyped path also counts through a name bound to its stat that an
# if/while test reads, and in a try whose handler leaves (SectionPlanner._path_tests).
# 161: a fix that writes sys.stdout or sys.stderr is declined when another function of the
# module writes it, the coroutine anywhere else, or no lock holds it (SectionPlanner._keep_streams).
# 163: a call whose result is iterated where it is made (for row in conn.execute(q)) gets
# no fix of its own (Judge.keep_iterated_calls).
# 164: a breaker's call handed the project's sync code (a function, or a lambda that calls
# one: CallSite.lambda_calls) gets call_async only as an unsafe fix (make_finding).
# 165: the rules of 153-164, found apart, together.
# 166: two blocks in a row that hold suspensions join the runs that end the first and start
# the second (a lock's body and a following try's: joined_runs._Joins.visit; FunctionSummary.runs).
# 167: a name imported from another module and read whole (`len(LOG)` of `from store import
# LOG`) is a read in a coroutine's runs, called runs and state (atomic_runs.whole_reads).
# 168: runs joined across a block's edge whose ends both read a resource other tasks change
# decline the fixes among them (SectionPlanner._keep_joined).
# 170: a breaker's call handed a lambda whose body uses state code on the event loop uses
# too, one writing it, gets call_async only as an unsafe fix (CallSite.lambda_races).
# 171: a section writing sys.stdout or sys.stderr in a thread is declined when another module
# writes the stream (ModuleSummary.streams, stream_writers); logging handlers count as writers.
# 172: a path test also counts through any chain of names bound to what a test reads (now =
# path.stat().st_size; a walrus) and before later statements of a `with suppress(...)` body.
# 173: state of a module imported by its dotted name is its global (pkg.store.LOG, not
# pkg.store), and a caller's runs count another module's globals some module writes.
# 173 too: a breaker's call touches the state of the sync function it runs (HelperEffects.runs).
# 173 too: a lambda handed to a breaker's call that reads and writes state itself is unsafe.
# 178: runs' events read back with their loops (a run in a loop broke every run reading the
# summary back) and their branches as the analyzer's tuples: project findings cached from
# summaries read so may differ.
# 179: a twin not swapped for a hazard says, as its thread bridge's reason, what to review.
# 180: the rules of 166-179, found apart, together.
# 181: a run that only reads a global the module never writes, beside another resource other
# tasks may change, around a safe fix (ModuleSummary.beside, SectionPlanner._read_beside).
# 182: an attribute of another module's object imported by name (BOOK.sales of from store
# import BOOK) is written where the global holding it is, or its class's instances are.
# 183: click's echo, rich's print and a rich console's print write the standard streams
# (stream_objects; ModuleSummary.stream_writers, streams); a record logged at WARNING or
# above writes sys.stderr through logging.lastResort when no module configures a handler
# (ModuleSummary.logged, handlers).
# 184: a suppress body's path.lstat() right before os.remove(path) is no path test.
# 185: a section in one branch of an if whose test is steady (identity of the coroutine's own
# names) is planned in that branch alone (SectionPlanner._narrowed, steady_tests).
# 186: a coroutine's queue.Queue get right after a test that found items, from a queue only
# coroutines take from, is not reported (guarded_gets).
# 187: a parameter's attribute read twice around a safe fix is reread (PARAMETER, ledger.count),
# or declined when the module writes that attribute of some object.
# 188: such a read weighed against modules' writes of globals holding a project class's instance.
# 189: the rules of 187-188 with those of 181-186, 190 and 193-195 (main merged).
# 190: an async generator function handed to a thread bridge is no coroutine function (no
# DBK802: its unwrap-bridge fix awaited the async generator).
# 193: the rules of 184-186 and 190 together.
# 194: the rules of 181-186, 190 and 193 together.
# 195: a comprehension's target is no name of the coroutine's frame a steady test reads.
# 196: the rules of 181-195 together (fuzz23 merged).
# 197: a coroutine's runs name the parameters they touch (FunctionSummary.run_parameters),
# written elsewhere when some module writes some object's attributes (atomic_callers).
# 198: a parameter read whole twice around a safe fix (len(log)) is reread (``log.*``),
# unless annotated immutable; runs name parameters read whole too (run_parameters).
# 199: the two branches of a conditional expression are two ways, each counting its own
# reads (a way no finding runs on counts one at most): no reread between them.
# 202: a call on an open file writes it (its position: NOT_THREAD_SAFE); handing the instance
# to `id`, `type`, `callable` or `isinstance` changes none of it.
# 206: a fix inside a ``with`` block whose manager (the module's ``__enter__``/``__exit__``,
# a ``contextmanager`` generator) touches shared state on entry and on exit is declined.
# 207: a caller's runs count what a coroutine that suspends, awaited by its callee at its
# first or last suspension, runs before its own first or after its own last (atomic_callers;
# named through each caller's call site, the handing the deeper coroutine's part, since 209).
# 208: what a sync call of the project writes follows its calls into other modules, and
# counts in callers' runs across awaits of coroutines that never suspend (helper_state).
# 209: a section moving a whole ``with`` block of such a manager (206) is declined too.
# 214: iterating an awaited bridge of ``lambda: list(x)`` gives x's elements (their types).
# 215: what a call made for other threads returns (``run_coroutine_threadsafe().result``)
# needs no loop.
# 216: a concurrent.futures.Future's result()/exception() waited for before the coroutine
# suspends is DBK703 (settled_waits).
# 217: the rules of 202 and 214-216 together (suites24 merged).
# 218: the rules of 198-199 and 202-217 together (safety24 merged).
# 219: the rules of 198-218 together (fuzz24 merged).
# 220: a culprit's decline gives its plainest tear (atomic_callers._strongest).
# 221: a coroutine function's bridge not awaited in place gets no unwrap (fix_shapes).
# 222: a module summary notes the locks its coroutines enter that are not free to it
# (``held``); another module's ``asyncio.Lock`` none holds so is free (ordered_locks).
# 223: a module summary notes two states a run only reads around a safe fix (``pairs``),
# declined when other modules write both (module_globals).
# 224: a library function changing its first argument (``heapq.heappush``, ``random.shuffle``,
# ``bisect.insort``) writes it in place (shared_state).
# 225: a name bound once to a parameter whole (``kept = log``) reads the parameter's object
# (SectionPlanner._aliases).
# 226: reads of a parameter after the run binds it anew to a new object (``log =
# sorted(log)``; every binding of it so) are the coroutine's own (SectionPlanner._rebound_at);
# a caller's run reading two states other code writes is torn, its callees' state too
# (atomic_callers).
# 227: the with blocks of other modules' managers, a module's stateful managers
#      (ModuleSummary.entered, managers).
# 228: a caller's run reads two things other code writes (atomic_callers._between).
# 229: two reads of two things tear only when neither is a parameter read whole (guessed).
# 230: ModuleSummary.entered leaves out managers not the project's (open, tempfile).
# 232: a fix awaiting an async library's function the coroutine patched with a mock is
#      declined (patches.mocked_regions).
# 237: a module pass's module without findings keeps no runs (ModuleSummary.deferred).
# 242: an open block's finding holds its lines (`Finding.block`); a block holding a call
# not safe in a thread stays on the event loop (`carried`).
# 243: the rules of 227-230 and 242 together (fuzz25 merged).
# 244: the rules of 237 and 243 together (speed25 merged).
# 245: the rules of 232 and 244 together (suites25 merged).
# 246: the rules of 222-226 and 245 together (safety25 merged).
# 247: a tear of a parameter's object says other code may change it (atomic_callers._others).
# 248: sections held by hand (``await LOCK.acquire()``) and other modules' semaphores and
#      conditions count as locks, free or held (free_locks, ordered_locks).
# 249: a class whose attributes the module writes is state; ``async with`` managers, a
#      manager a function returns (ModuleSummary.entered: awaited, called; stateful_managers).
# 250: a parameter's two attributes read around a safe fix are a pair (``PARAMETER``), declined
#      when modules write both names (ModuleSummary.attributes_written; module_globals).
# 251: a parameter's attribute read twice is written by modules writing that name too.
# 254: async with blocks and async managers, a function's returned manager (ModuleSummary.entered,
#      managers).
# 255: an async with on a manager of the module's own that never suspends is no suspension point.
# 256: a lock whose holders' bodies enter only free locks (and plain managers) is free too.
# 260: a mock put in place outside a test (its class's decorator or setUp, a fixture) declines
#      a fix that would await it (patches.mocks_from_outside).
# 266: a module pass's module without findings keeps no writes of the standard streams
#      (ModuleSummary.deferred: stream_writers, logged, handlers; project.streams).
# 272: a file-system fix in a try whose cleanup touches the file system is declined (raced_cleanup).
# 273: the session's branches merged (safety26's managers with fuzz26's asynccontextmanager,
#      plain managers and locks free through their bodies).
# 274: suites26 merged (mocks from outside a test).
# 275: a section across a free lock says so again (not "its manager never awaits").
# 276: another module's async with manager that never suspends is no suspension point
#      (ModuleSummary.plain_managers; managed_blocks.plain_entered, ordered_locks).
# 277: a coroutine's suspended lines leave out its async with on an asyncio.Lock
#      (FunctionSummary.ordered): its callers' runs go on through it (atomic_runs).
# 278: attributes written on an attribute's object count as written (shop.ledger.sold = n:
#      sold; ModuleSummary.attributes_written, walker deep_writes).
# 282: a file-system fix is declined in a with block whose exit touches the file system, or in
#      an asyncio lock's hold (raced_cleanup).
# 288: managers entered through an exit stack (ModuleSummary.entered: stacked; stateful_managers).
# 289: an AsyncExitStack block handed only managers that never suspend is no suspension point.
# 306: a project's pair of methods that differs is no twins: the call is judged by its body.
# 307: the session's branches merged (exit stacks handed other modules' plain managers).
# 314: an abstract manager's (or one raising NotImplementedError) is no plain manager.
# 315: callers' runs are weighed with the modules analysed again knowing other modules' locks.
# 316: a Semaphore's, a BoundedSemaphore's or a Condition's async with is ordered as a Lock's.
# 317: a fix is declined in a try whose cleanup changes a global other code reads (raced_cleanup).
# 326: a parameter read only as text (str(p)) is steady beside counts its text never shows.
# 327: an exit stack's entry in a nested statement, or through another name of it, enters it.
# 338: a signature's return annotation spelled one way for one type (unions' order, typing).
# 339: a class's methods that run their base's method of their name (``ClassSummary.extends``).
# 340: the session's branches merged.
# 341: an exit stack's callback pushed through another name of it races a cancelled thread.
# 342: a cleanup changing its instance's attribute other code reads races a cancelled thread.
# 343: a cleanup reading a name bound before the cancelled call gives its signal.
# 350: a Condition made on another lock is never free; the bodies of an asyncio lock waited at.
# 351: a stub file (.pyi) names no manager that never suspends (ModuleSummary.plain_managers).
# 356: an exit stack handed to other code (`helper(stack)`) races a cancelled thread.
# 357: a cleanup changing another module's global, or a global instance's attribute, gives a signal.
# 358: a name bound later in a loop's body than a cancelled call is bound by an earlier turn.
# 359: an attribute read on another class's instance in its method is no reader of a signal.
# 360: a global of the standard library a cleanup changes is no signal (357 took one).
# 361: a coroutine's first parameter's attribute is read by any class's method (359 left them).
# 368: ``super()`` in a method is the class's next class of the module (its calls' callees).
# 369: an awaited method no class of the module's hierarchy defines is called duck-typed.
# 374: a call of ``super().name`` runs its base's method (``Resolver._after``), of any module.
# 375: a call its own coroutine twin reaches is judged by the sync method's body (no twin finding).
# 380: a finding's flake8-async code is its catalogue entry's (httpx clients: ASYNC212).
# 381: the session's branches merged.
# 382: ``self.x`` no class of the hierarchy binds is what the module's subclasses bind it to.
# 389: ``async with`` on a parameter or ``self.x`` of no known type may enter an asyncio lock.
# 395: a signal's readers' classes are related as the resolver links bases (aliases; not by name).
# 396: an exit stack held in a list or dict (``pending = [stack]``) is the stack's.
# 397: a stack handed to the module's coroutine is read by what its body pushes (not "may push").
# 398: a cleanup changing a parameter's object gives a signal; binding a local anew gives none.
# 399: an exit stack's callback changing a flag other code reads (``DONE.add``) is a signal.
# 400: the module's own manager whose exit changes a global other code reads gives a signal.
# 401: ``self.x`` is one state in the methods of its class's kin (its bases, its subclasses).
# 402: a call on ``super()`` is one on the instance (``CallSite.on_instance``).
# 403: a fix in an ordered lock's body that runs on into another ``async with`` on it is declined.
# 407: functions' blocking calls on parameters and calls handing in-memory buffers (``buffers``).
# 408: an ``os.spawn*`` finding's flake8-async code follows its mode (``os.P_WAIT``: ASYNC221).
# 409: a loop handed in (``loop or asyncio.get_running_loop()``, ``ClassSummary.loops``).
# 410: ``super().name`` past a base of another module: ``C.super().name`` (``SUPER``), C3 order.
# 419: pymongo's handles and cursors are made without I/O (``Blocking.chained_methods``).
# 420: a redis pipeline is made without I/O; its ``execute`` and ``watch`` block.
# 421: an SDK client's ``with_options``/``copy`` is made without a request.
# 422: an item of a catalogued API that hands out others (pymongo's ``client["app"]``).
# 423: what a catalogued instance hands out enters its ``with`` as itself (``conn.cursor()``).
# 424: the session's branches merged.
# 425: a sync method only one subclass defines is what ``self.x()`` runs in a base.
# 432: a local bound once enters what it was bound from; a container's item may be a lock.
# 433: an ordered lock's body run on into an ``async with`` on any asyncio lock (not its text).
# 434: another module's writes through a class of an instance's kin write its attributes.
# 435: an instance's attribute read twice is written by another module's code on its kin.
# 436: ``ModuleSummary.moved`` holds (class, ``self.x``) of the instance's attributes moved.
# 438: one method resolution order (C3) for methods, attributes and ``super()`` alike.
# 439: one notion of a call on the instance (``scopes.on_instance``), a field of ``CallSite``.
# 440: a manager's exit changing its own ``self.x``, or a global it binds anew, is a signal.
# 441: a local holding another name's object (``state = STATE``) is read as that name (signals).
# 442: an exit stack held in a list, a dict or a loop's target enters managers (``stack_names``).
# 443: ``CallSite.on_instance`` counts a call on an object the instance reaches (``self.a.b()``).
# 444: an await in a loop's rounds reads twice what a statement there reads (atomic_callers).
# 445: a sync method's state effects follow its calls of the module's functions and super().
# 450: zipfile/tarfile archives block by what they are opened over (``ARCHIVE_IN_MEMORY``).
# 451: a call handing text (a literal, an f-string) is in ``buffers`` too.
# 452: a guarded get's queue may be handed to a method of its class that only puts.
# 453: ``on_parameters`` holds a parameter rebound only as ``data = data or b""``.
# 454: an archive over a buffer handed to a helper is in ``buffers`` (not for ``extractall``).
# 456: a module's ``reaches`` leaves attributes of a function's own name shadowing an import.
# 457: a call site right after a test of its receiver says so (``CallSite.tested``).
# 458: ``changed_names`` leaves a function's own list shadowing an imported one.
# 459: an awaitable's own ``__next__``/``send``/``throw`` step no coroutine by hand.
# 462: a library class's async counterpart in the sibling module ``async_<module>``.
# 463: the thirtieth session's branches merged.
# 464: a binding a cycle was cut in resolves alike whichever binding is asked first (Resolver).
# 470: a coroutine's runs from an ordered lock's body into another's across awaits (``reentries``).
# 471: a lock entered through a call of the module's getter or ``setdefault`` (``lock_aliases``).
# 476: an exit stack entered through another name or a holder may be no suspension point.
# 477: a coroutine's own call through super() counts what the base's method touches.
# 478: a call of a method a base defines is recorded as the base's (``Resolver.defining``).
# 479: an exit stack handed managers whose exit never suspends is no suspension point.
# 480: a with block nested in an exit stack's, binding the stack's name anew, is its own.
# 481: an async with whose exit never suspends (its entry may) joins the runs across its exit.
# 488: a sqlite3 connection made with ``check_same_thread=False`` is of its own class.
# 489: ``ModuleSummary.awaiters``, ``CallSite.awaited_by``; a module-level function alias.
# 490: a coroutine sent ``None`` until its ``StopIteration``'s value is stepped by hand.
# 491: a database wildcard covers its class's methods, not its attributes'; redis modules chain.
# 492: boto3 clients (DBK501); a catalogued item of a constant key (``resp["Body"]``) is typed.
# 493: a connection made with ``check_same_thread=False`` is no thread-affine making.
# 494: a module named through a namespace package is the project's (cached project findings).
# 495: the thirty-first session's branches merged.
# 502: a project call's finding is left on the loop once more for each other resource it touches.
# 503: helper_writes weighs the runs of modules analysed again knowing other modules' locks.
# 504: a parameter's attribute `async with` enters may be an asyncio lock; free locks' turns.
# 505: atomic_callers counts a coroutine's handing of its instance one await deeper too.
# 506: a fix in a coroutine awaited between two blocks of an ordered lock is weighed.
# 508: ModuleSummary.plain_managers keys managers that never suspend leaving by ``.__aexit__``.
# 509: a class's inherited __aenter__/__aexit__ of the module's bases decide its plainness.
# 510: a method call's receiver a call on the instance gives is in CallSite.arguments.
# 511: the project pass tells a module of its classes inheriting another module's plain manager.
# 512: a decorated method (a staticmethod's first parameter) gives no receiver's attribute.
# 520: a project decorator that runs what it wraps in a thread (``FunctionSummary.decorator``).
# 521: SQLAlchemy results' reads (DBK604); paramiko's exec_command files; unpacked results typed.
# 522: boto3 paginators' pages (a lazy result), build_full_result and waiters' wait (DBK501).
# 523: asyncer's ``asyncify`` converts what it decorates (a coroutine function, run in a thread).
# 524: a redis client's ``lock()`` blocks only as what a ``with`` enters.
# 526: a call through a namespace package's names resolves (cached project findings).
# 527: the names a project loads are its tests' and its programs' (plugins' hosts it loads).
# 532: a call handed an in-memory buffer as its file does no I/O (``Blocking.over``).
# 533: the thirty-second session's branches merged.
# 534: a local bound only to one same expression (``lock = self.lock`` twice) stands for it.
# 535: a run records the entries of the coroutine's own ordered locks it passes (``ENTERED``).
# 536: a reentry runs from an ordered lock's body, or right after it, up to the second block.
# 537: a coroutine with no findings records the turns its runs take at an ordered lock.
# 542: a parameter a file-system call's path is built on (``os.path.join(root, ...)``) is steady.
# 543: a chain of joined runs may come back to its first run across an ordered lock (loops).
# 547: a redis lock's ``acquire``/``release``/... are DBK503, its token calls move together.
# 548: an installed library's summary names its thread decorators (``thread_decorators``).
# 549: boto3 resources' actions are DBK501 (``Blocking.chained_capitalised``).
# 550: a DynamoDB table's ``batch_writer`` blocks only as what a ``with`` enters.
# 552: a class whose entry and exit both come from another module's manager is entered
#      as one (ModuleSummary.entered; stateful_managers.borrowed_managers).
# 553: a method returning an argument or a global gives that object (given_receivers).
# 554: an installed package's class defining a manager's side counts (plain_entered).
# 555: a parameter awaited only as it is tested is marked (ModuleSummary.awaiters).
# 557: only ``load_verify_locations`` and ``create_default_context`` take certificates as data.
# 558: the project pass judges a catalogued call by what it passes (``exempt_by_arguments``).
# 559: async HTTP clients (httpx's, the SDKs') load a CA bundle as they are made (DBK301).
# 560: the thirty-third session's branches merged.
# 561: the runs that enter a body run on into an ordered lock's block that starts it.
# 562: a callee suspending only in its ordered lock's body runs its head and tail in one piece.
# 566: a call through a local bound once to a method of an object that is not thread-safe writes it.
# 571: a program loads what its own file imports, not its project's every name (Loads.each).
# 572: a call handed to a coroutine of its module that awaits it is awaited (evidence).
# 573: a tested await is evidence only where the class as written defines a coroutine.
# 574: a class of the module inheriting one side of a manager from a base of it is weighed.
# 575: a manager side of another module joins the class defining the other (ModuleSummary.sides).
# 576: a ``with`` block entering a redis lock a name or attribute holds is DBK503 (``__enter__``).
# 577: boto3 resources' collections, batch actions and ``meta.client`` (``collections``).
# 578: another module's redis lock entered by ``with`` is a call site (``__enter__``).
# 579: a class wildcard does not cover a ``with`` block's entry (``__enter__``).
# 586: a section that only makes and uses its own handles is ``unshared``: no lock.
# 587: sync HTTP and SDK clients load a CA bundle as they are made too (DBK301).
# 588: the thirty-fourth session's branches merged.
# 589: a local bound again after a use stands for its one expression there (``stands_for``).
# 590: a call of an object made over another writes that other (``MADE_OVER``: a MultiCall).
# 591: the standard library's protocol clients' calls touch one resource, the server.
# 594: a getter's return followed through the module's getters it calls (``lock_aliases``).
# 595: another module's lock getters entered (``ModuleSummary.getters``, ``lock_getters``).
# 596: the lines where a coroutine suspends outside its ordered bodies (``unordered``).
# 599: ``Finding.awaited_by``; the project findings' ``withdrawn`` (another module's awaiter).
# 600: ``FunctionSummary.silenced``, ``Finding.silenced_within``: a noqa in a sync callee.
# 601: ``urlopen`` returns an ``HTTPResponse``, whose reads a ``data:`` URI's call exempts.
# 602: a noqa on a sync callee's call's last or joined line, naming DBK801 or an argument's code.
# 611: the thirty-fifth session's branches merged.
# 612: a section's ``lazy_reads``: the lazy results it iterates put it on their resource.
# 613: a coroutine's zero sleeps (``zero_sleeps``), left out of ``unordered``.
# 614: a module's getters returning a call (``relays``), followed to another's getters.
# 616: the project findings' ``relearned`` outcomes replace ``withdrawn`` (awaited elsewhere).
# 617: a boto3 resource's first read of an attribute that loads it is DBK501 (``loaded_reads``).
# 619: a third-party protocol client's calls touch the server through a client the coroutine made.
# 620: a call of an object made over another that the instance's constructor keeps writes it.
# 628: chains and JSON targets name a shared sqlite3/redis object's calls on its class.
# 629: a sync call handing a caller's state to a parameter it changes writes it in the caller's
# runs across a callee's edges (project findings cached before lack those declines).
# 632: the thirty-sixth session's branches merged.
# 633: the runs before and after a zero sleep in a coroutine's own body joined in one order.
# 636: such a change is followed into the functions of other modules the helper hands it on to.
# 637: a sync function's calls handing on an attribute or item of a parameter (`hands_on`).
# 645: a module in a namespace directory inside a package has its Python name (app.jobs.io).
# 648: a shared client's server calls in a run beside an own client of its library touch the
# server (findings cached before name no resource for them).
# 649: a sync function's third-party client calls through a client it made touch the server
# (cached sections lack them).
# 650: beside project code that touches the server, a shared third-party client's calls touch
# it too, and so do a sync function's calls of a thread-safe client (the range's last number:
# both changes of 5eced5a and the next commit).
# 651: a fix's await before what another task reaches after only zero sleeps declined.
# 654: the thirty-seventh session's branches merged.
# 655: zero sleeps an awaited coroutine of the module passes count for overtaking tasks.
# 656: and so do those a fix in a first run awaits.
# 660: a lone test's chains across zero sleeps are not weighed (no other task runs them).
# 661: what a fix after a zero sleep moves into its thread weighed against the runs before.
# 665: a method called on a parameter (`calls_on`), and what a sync method changes of its instance.
# 675: modules outside packages named alike in two directories of a project keep apart.
# 676: modules in namespace portions of a package share its common lock.
# 677: an absolute import inside a package named by its directory finds that package.
# 678: the thirty-eighth session's branches merged.
# 690: a call site on a shared object (`on_shared`: a global's, an instance attribute's) that two
# threads must not use at once, found across modules, gets no safe fix.
# 691: a class wildcard no longer covers the methods of what a request returned (poll().values).
# 695: a fix in a first run weighed by its own run's tail and later runs against zero sleeps' order.
# 696: a temporary file a caller hands a callee is the callee's own too in the zero-sleep walks.
# 700: a method called on a parameter through a local bound once, or handed on bound (`calls_on`).
# 701: a sync call site names the places it hands a builtin `dict` or `list` (`CallSite.plain`).
# 705: kept spans without those an earlier one of the same lines, coroutine and resource shadows.
# 715: what a sync function reads of the state its module's functions write (`reads`).
# 716: another module's helper sites read a module-level instance whose method they call.
# 720: the thirty-ninth session's branches merged; `CallSite.plain` by construction only.
# 725: sync functions' reads of imported modules' attributes (FunctionSummary.reads);
# a run's own writes keyed by state (FunctionSummary.called).
# 726: sync functions' whole reads of names imported from the project (FunctionSummary.reads).
# 728: a first run's fix weighed against other coroutines' first runs; closures' lists apart.
# 730: the thirty-ninth session's second wave (first41, ro41) merged.
# 740: a set's `*_update`, `OrderedDict.move_to_end` and `Counter.subtract` change their object.
# 770: a call's own temporary files: unpacked from `mkstemp`, paths built in one, opened with a
# mode; none made in a named directory (`dir=`) or kept in shared state (own_files).
# 780: a fix's await after a task start is weighed against what the started coroutine touches;
# a coroutine calling the fixed one through others starts it (no other task's first run).
# 790: a local that may hold shared state (bound however often, a loop over a literal, an
# unpacking) stands for it in a function's state accesses (`StateAccess.aliases`).
# 800: `CallSite.plain` also a set, frozenset, OrderedDict, Counter, deque or defaultdict,
# each made by a call of its class on every path (`Resolver.made_by`).
# 801: sync functions that may return a shared object (`FunctionSummary.returns_shared`);
# another module's non-thread-safe object reached through one or a parameter: no safe fix.
# 810: standard streams and false constants, handed or left to a default, are no file
# for `on_parameters`.
# 812: a stream's `buffer` handed is a stream (811, `json.dump` to a stream as no file, backed out).
# 820: an item read of what may be a `defaultdict` writes it; a sync call hands one to a
# parameter whose items the callee reads (`CallSite.inserting`, `FunctionSummary.items_read`).
# 830: a call on a non-thread-safe class the project pass leaves on the loop keeps every
# other call on that class there (`held_objects.held_spans`).
# 840: a run's own sources take the modules importable from its paths' start directories
# (a one-file run's script siblings and package modules; layout records made before lack them).
# 845: a call handed shared state as a bound method, a lambda or partial touching it, or in a
# starred literal, writes it (fix_fuzz --aliases).
# 850: the fortieth session's branches merged (the checker and the section planner split).
# 860: 845 brought back on 850 (calls43).
# 861: a callable registered for an exit is not called at the call; one for a later turn is.
# 862: a lambda handed on reads what its body only reads (a method's receiver is written).
# 863: a name imported whole hands on the attributes of it the function uses (``TALLY.count``).
# 864: what is handed on counts as the project's by what its first name imports (not ``socket``).
# 870: a run's statement taking the next token of shared state (`next(CALLS)`) says so (`TAKE`).
# 890: a coroutine's parameter read whole (`len(table)`) is its parameter's state in `edges`
# and `state` (`@table`): the caller's argument, read at the callee's edge.
# 891: an item read of another module's global the project pass types as a `defaultdict`
# writes it (`project.inserting_globals`, the module analysed again).
# 892: a safe fix that module's second analysis moves into a section is declined.
# 900: a local alias's binding of a global no function rebinds reads nothing (over43).
# 901: a project-pass call on a non-thread-safe client made for the call touches its server.
# 920: an outcome keeps what its bare imports found beside it under another name
# (``modules.renamed_beside``), answered only while they find the same.
# 940: a run taking a token beside a finding of its own is kept though it awaits nothing.
# 950: a token taken orders a blocking call's resource read and written in its branch.
# 951: a token taken only in an ``if``'s test is a run's event too (``TESTED``).
# 955: a name imported whole, handed whole to a partial or a starred literal and read whole
# elsewhere, is state (StateAccess._handed_whole); imported names follow re-exports
# (ProjectIndex.known_name).
# 956: so is such a name whose bound method the function hands on (``apply(ITEMS.append)``).
# 960: a project-pass call on a shared third-party client touches the server beside a call on
# it of its library in a run of statements (``helper_writes._touched``).
# 961: and beside any other server access of a caller's atomic run (``atomic_callers._on_server``).
# 965: a write of a standard stream by any name (`from sys import stderr`, `sys.__stderr__`,
# an alias) is one (``standard_streams.stream_names``).
# 966: a serialiser handed a standard stream for its file does not block (``no_file``).
# 970: an exit registrar's name a class of the module defines calls what it is handed
# at once (over44).
# 980: the end of a finally, an if or a with runs on into what follows it (ordered locks).
# 990: the forty-second session's branches merged.
# 1010: a coroutine awaited whole that reads, then writes a resource after a ticket (rmw45).
# 1011: a token tested in a ``while``, a conditional expression or a ``match`` counts (rmw45).
# 1012: a token handed as a call's argument (``await remover(next(CALLS))``) is taken (lead).
# 1020: a callee's call on a shared client naming no resource touches the server beside its
# caller's server calls in an atomic run (``server_calls``, ``atomic_callers._on_server``).
# 1021: and beside any server call of its run, whatever its library (``server_calls``).
# 1030: statements an awaited coroutine runs before it suspends follow a first-run fix (gather45).
# 1040: a loop's body ends into what follows it, a lock's block into its break's and continue's
# targets, and a run before a lock ending a loop's body into itself at the next round.
# 1050: a global written by calling what a function hands on (`apply(store.ITEMS.append)`,
# `map(ITEMS.append, xs)`) is written (StateAccess.handed_writes: ModuleState's writers,
# ModuleSummary.reaches; HANDED_CALLERS).
# 1070: a parameter a coroutine only returns is read by none of a caller that drops the
# result (FunctionSummary.returned, CallSite.discarded).
# 1080: the forty-third session's branches merged.
# 1090: gather45's 1031 reverted at the merge (blocks holding a declined call over-declined).
# 1091: the lead's 1012 (a token handed as a call's argument is taken) merged.
# 1100: a bridge taken whole carries its module's calls declined for what an await would
# change, offered as unsafe (bridge46).
# 1101: and those withdrawn for what the call is (thread affinity), withdrawing it (bridge46).
# 1110: a safe fix that an exit registrar's name read as calling at once decides otherwise
# names it (``Finding.registrars``); declined where a project class defines it (names46).
# 1130: a statement reading, then writing one resource is a read and a write in its run
# (atomic_runs._merged: `p.write_text(p.read_text() + line)` after a ticket; rmw46).
# 1131: a suspending callee's head or tail that reads, then writes a resource orders it after
# a ticket, and a token is torn across such a head or tail too (atomic_callers; rmw46).
# 1132: a coroutine's first lock block in no loop whose body returns (returned_turn): its
# suspensions after it keep no held turn from its callers (rmw46).
# 1140: HANDED_CALLERS name the argument they call (`sorted`'s `key`, `reduce`'s first);
# imported_state weighs functions handing on a callable; a lazy result's use writes too.
# 1141: a library's method named `sort` calls its `key` (a list made by `list(...)`).
# 1142: a lambda of a lazy value using another lazy name sees its writes (it recursed).
# 1150: what runs after a run before its task suspends is one walk (Walks.after) for the
# started and zero-sleep rules: past a body's end, through a never-suspending callee.
# 1160: a run over some files keeps the spans of its callers (importers) only where they
# may hold its fixes (ProjectRun._weighed); its project findings' key names the callers.
# 1190: the forty-fourth session's branches merged; a parameter's decline says why a module
# may change its object (the lead).
# 1200: a module read both ways keeps what it writes more with its exit registrars' names
# calling at once (ModuleSummary.at_once), taken where a project class defines one (names47).
# 1210: a parameter rebound to a project function's result holds no file when that function
# returns only a standard stream (FunctionSummary.returns_stream, stream_helpers).
# 1220: a result bound to names the caller never reads, or an unpacked result's element, is
# dropped; a parameter returned in a tuple is read by none dropping it (CallSite.dropped).
# 1230: two projects' modules that no project of the run may load both of never share a
# resource (Processes: each project runs its own event loops). 1231: a project's setup.py
# is not installed with it (processes.installs).
# 1290: the forty-fourth session's second wave merged (names47, stream47, over47, proj47).
# 1291: a module global changed in place through a local alias is changed (changed_names),
# and read where the alias is read whole (StateAccess._held_whole; alias47's 1240).
# 1300: an unpacking of a literal binds each name to its element, a starred one too
# (walker._part, nodes.unpacked_part): an alias so bound holds the global (alias48).
# 1301: a name bound to a conditional or ``or`` holds each of its values (nodes.alternatives).
# 1340: two projects' modules no project of the run loads both of share no state either
# (ModuleSummaries.meeting: a parameter's object, duck-typed instances). 1341: a pytest11
# plugin loads its module and what it imports, not its whole project (Loads.plugged).
# 1360: `iter(f, sentinel)` calls f lazily; a `cmp_to_key` key calls what it wraps; an
# `operator.methodcaller` changes what it is applied to; a lazy result held in a local
# list or dict writes where the container is used (lazy48).
# 1361: a parameter read only in a returned element (`len(log)`, `box.items`) is returned
# there; a starred last target drops every element from its index on (lazy48).
# 1370: a lock's block whose body returns gives a held turn in a loop too (returned_turn;
# rmw48). 1371: a callee's statements from its last suspension up to a `return` that a
# suspension follows run with its caller's after the await (FunctionSummary.exits; rmw48).
# 1372: and from its first line up to a `return` before any suspension; a return's last line
# counts, past an await in its value (rmw48).
# 1390: the forty-fifth session's branches merged (lazy48, hot48, bb48, proj48, cold48,
# one48, alias48, rmw48).
# 1400: a walrus's value is read where it is (`len(box := ITEMS)`); `nullcontext(x) as box`
# holds `x` (ENTERS_ARGUMENT: aliases, changed_names).
# 1401: a local alias of a name imported whole stands for it in rereads and handed state
# (`box = ITEMS; add(box, n)`).
# 1402: a write through a conditional alias writes each alternative, not the last only
# (`StateAccess._also_held`).
# 1420: ENTERS_ARGUMENT read one way (the maker resolved: `nc(x)` of an aliased import);
# `async with nullcontext(x) as box` and a stack's `enter_context` hold `x`; a read through a
# conditional alias reads each alternative; a sync function's `nullcontext(helpers.LOG)` is
# resolved, and what the module writes of its imports is found with callees.
# 1430: a lazy result a call keeps beside a local name (`box.append(map(...))`, `hold(box,
# gen)`) writes where that name is used; a `methodcaller` naming a READ_ONLY_METHODS reads
# only (lazy50).
# 1431: a blocking function handed by reference to `map`, `sorted`'s key, ... is a finding
# at the call run whole in a thread; `to_thread(sorted, xs, key=blocking)` is no DBK805.
# 1440: a coroutine's ways out and the suspensions that may come last before each, by flow
# (`FunctionSummary.preceding`/`exits`); a way that passes none cuts no caller's run.
# 1441: a `while True:` loop leaves by its breaks only (`suspension_flow`).
# 1442: a coroutine's head reaches the last line that may run before any suspension, by
# flow (`FunctionSummary.reach`, `suspension_flow.first_after`).
# 1443: a `raise` is a way out of a coroutine (its caller may catch it and go on).
# 1444: a head stops before a statement holding a suspension (`suspension_flow._ran`).
# 1450: a plain string loads no module but a loader's; setup.cfg/setup.py pytest11 plugins
# read; a duck-typed call runs only methods of modules meeting its caller's (proj50).
# 1451: a non-thread-safe call held on the loop declines only calls of modules meeting it.
# 1500: the forty-sixth session's branches merged (hot50, lazy50, one50, alias50, cold50,
# rmw50, proj50, trial50).
# 1501: an exception's way into a `finally` does not lengthen a coroutine's head (its
# reach: a line range; last_binding_raises).
# 1530: a fix whose import the code around it binds otherwise is declined by the analysis,
# once the module's library is known (`fix_imports`), not by the fixer (shadow52).
# 1531: how a module binds the names fixes import is a fact of its module pass, cached with
# its outcome (`fix_imports.import_bindings`): a warm run reads no module's text (shadow52).
# 1540: a global's writers, and the users of one a section moves, are only modules meeting
# the module that reads or moves it (names52).
# 1560: a blocking function handed to `iter` with a sentinel is a finding (lazy52).
# 1561: a project function handed by reference is a call site; a bridge handing one no DBK805.
# 1562: a method named by `methodcaller` and handed so is the iterated elements' (lazy52).
# 1570: a call that may raise is a way out of a coroutine to a caller whose `try` may catch
# it (`FunctionSummary.raising`, `CallSite.caught`; rmw52).
# 1571: a callee's callees at the suspensions that may come first or last, by flow
# (`suspension_flow.firsts`/`lasts`); a handler on any await down the way counts.
# 1572: no raising way out at an await of a coroutine not the project's, nor on a
# `finally`'s exception path.
# 1580: a function handed by reference is named with the function it is handed to; an
# `any`, `all` or defaulted `next` iterating its lazy result runs whole in a thread (out52).
# 1600: the forty-seventh session's branches merged (names52, lazy52, out52, rmw52, store52,
# shadow52).
# 1630: a bridge's call in the thread is read by the bridge's own index (`run_in_executor`'s
# second argument), a `functools.partial`'s bound arguments first: a blocking key no DBK805.
# 1631: what a lambda or a `functools.partial` handed to a caller calls is handed (lazy53).
# 1632: a configured entry's own message, handed by reference, follows the handed name.
# 1633: a `for` over a handed lazy result whose body only appends it to its own list lists it
# in the thread first (`looped_results`); other such loops say why not.
# 1640: the project's own bridges a module may call are kept with how its text binds their
# names; check chooses the one fix calls and weighs its name (`fix_imports`; shadow53).
# 1641: a scope that only reads a name as the module's hides no binding of it on its line.
# 1620: an item or an attribute may raise as a call does, and a library coroutine's await
# (but a sleep's) may raise before it suspends: raising ways out to a catching caller.
# 1621: a `finally` catches (its code runs after the raise); a handler that only re-raises not.
# 1622: so does a `with` or `async with` block (its exit runs code, and may swallow the raise).
# 1700: the forty-eighth session's branches merged (lazy53, shadow53, warm53, cold53, rmw53,
# carry53, trial53).
FORMAT = 1700
PROJECT_SLOTS = 8  # sets of paths whose project-wide findings are kept
JOURNAL_MIN = 64 * 1024  # bytes of journal always allowed before the cache file is rewritten
_FEW = 16  # files a run may look up in the cache file's text before it parses it whole
_FEW_BYTES = 64 * 1024  # a cache file larger holds more entries than such a run looks up


def digest(data: bytes, size: int = 16) -> str:
    """The content key of a file's bytes (a ``size``-byte BLAKE2b digest, in hex)."""
    return blake2b(data, digest_size=size).hexdigest()


class Cache:
    """Outcomes of earlier runs, looked up by file stat or by content (paths relative to
    the working directory are stored as absolute ones)."""

    def __init__(self, directory: str | Path, fingerprint: str):
        self.directory = Path(directory)
        self.file = self.directory / __version__ / f"{fingerprint}-{FORMAT}.json"
        self.journal = self.file.with_name(self.file.name + "-log")
        self._text = text_of(self.file)
        self._journal = _journal_entries(self.journal)  # runs over a few files since
        self._later = dict(self._journal)  # the last entry of each path
        self._recorded: set[str] = set()  # the digests of the file's entries (``entries``)
        self.used: set[str] = set()
        self.changed = False
        self._stored: dict[str, list] = {}  # this run's new entries, by absolute path
        self._summaries = SummaryStore(self.file.with_suffix(".summaries"))
        self._cwd = os.path.join(os.getcwd(), "")  # ends with a separator
        self._opened = time.time_ns()  # temporaries written before are a killed run's

    @cached_property
    def entries(self) -> dict[str, list]:
        """Every stored entry, by absolute path (parsed when first needed: a run that looks
        up only a few files finds them in the file's text, ``_entry``)."""
        text, self._text = self._text, ""  # no longer needed
        try:
            data = json.loads(text)
        except ValueError:
            data = {}
        if not isinstance(data, dict):
            data = {}
        entries = {path: entry for path, entry in data.items() if _valid(entry)}
        self._recorded = {entry[2] for entry in entries.values()}
        return {**entries, **self._later, **self._stored}

    def _entry(self, path: str) -> list | None:
        """The stored entry of absolute ``path``. While at most ``_FEW`` files were looked
        up (pre-commit's edited files), it is read from the file's text alone: parsing the
        whole cache (~1 MB on the bench corpus) took ~7 ms of such a run's ~140 ms."""
        if "entries" in self.__dict__ or len(self.used) > _FEW:
            return self.entries.get(path)
        found = self._stored.get(path) or self._later.get(path)
        return found if found is not None else _entry_in(self._text, path)

    @cached_property
    def by_digest(self) -> dict[str, list]:
        """The stored outcomes by content digest (made when first needed: a warm run, whose
        files all keep their stat, never asks; ~0.5 ms on the bench corpus)."""
        return {entry[2]: entry[3:] for entry in self.entries.values()}

    def _absolute(self, path: str) -> str:
        """``path`` made absolute (as ``os.path.join`` with the working directory does, a
        few times faster: every file is looked up more than once)."""
        return path if os.path.isabs(path) else self._cwd + path

    def by_stat(self, path: str, stat: os.stat_result) -> list | None:
        """The stored outcome of ``path`` if its size and mtime are unchanged."""
        path = self._absolute(path)
        self.used.add(path)
        entry = self._entry(path)
        if entry is not None and entry[0] == stat.st_size and entry[1] == stat.st_mtime_ns:
            return entry[3:]
        return None

    def by_content(self, key: str) -> list | None:
        """The stored outcome of any file whose content digest is ``key``."""
        if "entries" not in self.__dict__ and not self._may_hold(key):
            return None  # an edited file: its new digest is nowhere in the cache
        return self.by_digest.get(key)

    def _may_hold(self, key: str) -> bool:
        """Whether digest ``key`` may be stored (False: it is in no entry's text)."""
        return key in self._text or any(
            key == e[2] for e in (*self._later.values(), *self._stored.values())
        )

    def store(self, path: str, stat: os.stat_result, key: str, outcome: list) -> None:
        """Remember the outcome of ``path`` (its cached form; saved by ``save``)."""
        path = self._absolute(path)
        self.used.add(path)
        self._stored[path] = [stat.st_size, stat.st_mtime_ns, key, *outcome]
        if "entries" in self.__dict__:
            self.entries[path] = self._stored[path]
        if "by_digest" in self.__dict__:
            self.by_digest[key] = outcome
        self.changed = True

    def save(self) -> None:
        """Write the cache atomically, without the entries of files that no longer exist
        (looked for only when this run used most entries: a pre-commit run over a few files
        would stat every other one); failing to write it is not an error. A run over a few
        files appends its new entries to the journal instead (the whole file is ~1 MB on
        the bench corpus), until the journal grows to a quarter of the file. Written whole,
        it drops the summaries of the digests no entry has any more (``_dead``), and the
        temporaries of runs killed as they wrote (in this version's directory). The journal
        gets the new entries before the summaries are written (a whole write's too, until
        the file is in place): a run killed in between leaves no summary of a digest
        nothing records (~5 µs per entry: ~24 ms for a run filling the bench corpus's)."""
        if not self.changed:
            self._summaries.save(self._write_text)
            return
        most = self._most_used()
        if most:
            for path in [path for path in self.entries if path not in self.used]:
                if not os.path.exists(path):
                    del self.entries[path]
        lines = self._journal_lines()
        whole = most or not self._journal_takes(lines) or not append(self.journal, lines)
        if whole and self._writable():  # the first run's too: its directory made now
            append(self.journal, lines)
        self._summaries.save(self._write_text, self._dead() if whole else ())
        if whole:
            self._write(self.file, self.entries)
            remove(self.journal)
            remove_stale(self.file.parent, self._opened)  # summaries, records too

    def _dead(self) -> set[str]:
        """The digests the file or the journal recorded that no entry has now: a file
        edited or deleted since (their summaries' shards are the only ones parsed: an
        edited file's run over its 163 importers parsed 115 shards to drop one summary)."""
        live = {entry[2] for entry in self.entries.values()}
        recorded = self._recorded.union(entry[2] for _, entry in self._journal)
        return recorded - live

    def _most_used(self) -> bool:
        """Whether this run looked up most entries. One that looked up at most ``_FEW``
        of a cache file over ``_FEW_BYTES`` (~250 files at the bench corpus's average
        entry) did not: its entries are not parsed to count them."""
        if "entries" not in self.__dict__ and len(self._text) > _FEW_BYTES:
            return False
        unused = sum(1 for path in self.entries if path not in self.used)
        return unused < len(self.used)

    def _journal_lines(self) -> bytes:
        """This run's new entries as lines for the journal (the file written whole, they
        are the journal's only until it is in place)."""
        return "".join(
            json.dumps([path, entry], separators=(",", ":")) + "\n"
            for path, entry in self._stored.items()
        ).encode()

    def _journal_takes(self, lines: bytes) -> bool:
        """Whether the journal may take ``lines``: not when they would make it outgrow a
        quarter of the cache file (and ``JOURNAL_MIN``), nor where nothing is writable."""
        grown = size_of(self.journal) + len(lines)
        return grown <= max(size_of(self.file) // 4, JOURNAL_MIN) and self._writable()

    def summary(self, key: str) -> dict | None:
        """The module summary stored for content digest ``key`` (read only now: warm runs
        whose project findings are cached never need one)."""
        return self._summaries.get(key)

    def store_summary(self, key: str, summary: Callable[[], dict]) -> None:
        """Remember the summary of the module whose content digest is ``key``
        (``summary()``: its JSON form, asked for when it is written)."""
        self._summaries.add(key, summary)

    def digest_of(self, path: str) -> str | None:
        """The content digest recorded for ``path`` in this run or an earlier one."""
        entry = self._entry(self._absolute(path))
        return None if entry is None else entry[2]

    def project_findings(self, paths: list[str], key: str) -> dict | None:
        """What project-wide analysis of the modules at ``paths`` stored for ``key``
        (every module's content), if any."""
        try:
            data = json.loads(self._project_file(paths, key).read_bytes())
        except (OSError, ValueError):
            return None
        if isinstance(data, dict) and data.get("key") == key:
            return data.get("found")
        return None

    def store_project_findings(self, paths: list[str], key: str, found: dict) -> None:
        """Remember what project-wide analysis found in the modules at ``paths``, whose
        contents give ``key``; the findings of the ``PROJECT_SLOTS`` sets of paths and keys
        stored last are kept (a pre-commit run over a few files leaves the whole project's)."""
        target = self._project_file(paths, key)
        self._write(target, {"key": key, "found": found})
        slots = sorted(self.file.parent.glob(f"{self.file.stem}-*.project"), key=modified)
        for stale in slots[:-PROJECT_SLOTS]:
            if stale != target:
                remove(stale)

    def _project_file(self, paths: list[str], key: str) -> Path:
        """The slot of ``paths`` judged under ``key``: runs over one set of modules whose own
        files differ (a package's modules each reach all of it) have their own keys, and
        shared one slot by paths alone, each run's findings evicting the other's."""
        slot = digest("\n".join([*paths, key]).encode(), size=8)
        return self.file.with_name(f"{self.file.stem}-{slot}.project")

    def _write(self, target: Path, data: object) -> None:
        if self._writable():
            write_json(target, data)

    def _write_text(self, target: Path, pieces: Iterable[str]) -> None:
        if self._writable():
            write_text(target, pieces)

    def _writable(self) -> bool:
        """Whether the cache directory exists (made with its ``.gitignore`` if need be)."""
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by deblock\n*\n")
        except OSError:
            return False
        return True


def _journal_entries(journal: Path) -> list[tuple[str, list]]:
    """The entries runs over a few files appended to the journal, in order."""
    later = []
    for line in lines_of(journal):
        try:
            path, entry = json.loads(line)
        except (ValueError, TypeError):
            continue  # a line cut short by a crash or a concurrent writer
        if isinstance(path, str) and _valid(entry):
            later.append((path, entry))
    return later


def _valid(entry: object) -> bool:
    return isinstance(entry, list) and len(entry) > 3


def _entry_in(text: str, path: str) -> list | None:
    """The entry of ``path`` in the cache file's ``text`` (one JSON object of lists,
    written compactly) without parsing the rest."""
    entry = value_in(text, path, "[")
    return entry if _valid(entry) else None
