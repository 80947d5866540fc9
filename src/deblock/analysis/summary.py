"""A module's summary for project-wide analysis; plain data, cached with the findings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import field, fields

from deblock.records import record


def _by_fields(self) -> tuple:
    """Pickle a summary's object as its class and its fields' values, which its constructor
    takes in that order: unpickled in half the time pickle's default for a class with
    slots takes (a run's workers pass the summaries they make to its main process)."""
    return type(self), tuple(getattr(self, name) for name in self.__slots__)


@record(slots=True)
class CallSite:
    """A call in a coroutine that the module alone could not judge.

    ``callee`` is a qualified name that may cross modules (``pkg.utils.load``,
    ``pkg.store.Store.save``, ``pkg.make_client().chat.create``: ``()`` marks the
    return value of a call). ``bridged`` is true when the callee is handed to a
    thread rather than called; ``iterated`` when a ``for`` iterates what ``callee`` names
    (``pkg.rows.read()``: the result of a call) rather than calling it; ``awaited_instance``
    when the call, made through a typed
    receiver, is awaited (evidence that it is not sync, whatever the type says: it only
    counts as a call, not as blocking); ``handed`` names the function a breaker's ``call`` is
    handed, when this module cannot tell whether it is a coroutine function; ``kept``, why
    an await a fix added there would change the program (decided only when asked:
    ``check_module``'s ``sites_kept``; the project pass declines the fix);
    ``stays``, why the ``with`` block whose context manager it makes must stay on the event
    loop (decided with ``kept``: a fix moving the block would break the program);
    ``awaited``, that the call is awaited; ``timed``, the deadline its coroutine runs under
    when the caller hands it one (``asyncio.wait_for``) or awaits it in a timeout or cancel
    scope: the callee's own fixes would add awaits where the deadline lands.
    """

    __reduce__ = _by_fields

    callee: str
    shown: str
    line: int
    col: int
    end_line: int
    end_col: int
    unfixable: str | None = None
    bridged: bool = False
    iterated: bool = False
    awaited_instance: bool = False
    handed: str | None = None
    lambda_calls: str | None = None  # the project code a lambda handed to ``call`` calls
    lambda_races: str | None = None  # why that lambda, in a worker thread, races the loop
    kept: str | None = None
    awaited: bool = False
    timed: str | None = None
    falsy: tuple[str, ...] = ()  # the parameters it passes a false constant (``block=False``)
    positional: int = 0  # the arguments it passes by place (-1: not known, ``*args``/``**kw``)
    entered: bool = False  # it makes the context manager of a ``with`` block a fix may move
    keywords: tuple[str, ...] = ()  # the keywords it passes (a twin must take each)
    buffers: tuple[str, ...] = ()  # the parameters it hands an in-memory buffer (``#0``)
    # the line and column of the finding whose safe fix moves the call into a worker thread
    moved: tuple[int, ...] = ()
    awaits: bool = False  # the call (its callee or arguments) awaits or yields
    # (awaited) it lies in the body of a ``try`` whose handler or ``finally`` runs code
    # after what the coroutine raises before it suspends (``FunctionSummary.raising``)
    caught: bool = False
    stays: str | None = None
    # (awaited, or a sync call in a run of ``FunctionSummary.called``) (place ``#0`` or
    # keyword, the caller's state it names: its instance ``self``, ``self.x``, a global, a
    # parameter ``@p``) of each argument that is the caller's state: the callee's accesses
    # of that parameter are the caller's (``FunctionSummary.parameters`` and ``changes``,
    # ``atomic_runs.argument_state``)
    arguments: tuple[tuple[str, str], ...] = ()
    # the places of ``arguments`` (a sync call's) handed a container the caller made by its
    # class (``TABLE = dict()``, ``OrderedDict()``: ``PLAIN_CONTAINERS``), which a
    # duck-typed method (``?.get``) called on it changes only by a mutating name
    plain: tuple[str, ...] = ()
    # the places of ``arguments`` (a sync call's) handed what may be a container whose item
    # read inserts (``G = defaultdict(list)``: ``inserting_reads``): a callee reading an
    # item of the parameter it binds changes it (``FunctionSummary.items_read``)
    inserting: tuple[str, ...] = ()
    # it calls a method of the caller's instance (``self.save()``, a base's through
    # ``super()``) or of an object the instance reaches (``self.ledger.note()``), whose
    # state may be the instance's (``scopes.on_instance``)
    on_instance: bool = False
    # why an await before it would let other tasks undo the test of its receiver just
    # before it (``while not q.empty(): q.get()``: ``tested_receivers``)
    tested: str | None = None
    # (callee, place) of the call its result is handed to as it is, which the caller
    # awaits (``await ensure_async(cm.is_hidden(p))``: ``awaited_parameters``)
    awaited_by: tuple[str, ...] = ()
    # (awaited) the places of its result the caller never reads: ``(-1,)`` the whole, else
    # an unpacked result's elements (``returned_parameters.dropped_results``)
    dropped: tuple[int, ...] = ()
    # what it calls a method of is an object other calls share: the module's global, its own
    # or one it imports, or the instance's attribute (``brokers.CHANNEL``, ``CHANNEL`` of
    # ``from brokers import CHANNEL``, ``self.channel``; ``scopes.on_shared``)
    on_shared: bool = False

    @property
    def span(self) -> tuple[int, int, int, int]:
        """Its first line and column, last line and column after it."""
        return self.line, self.col, self.end_line, self.end_col


@record(slots=True)
class FunctionSummary:
    """A function: its returned type, what in it blocks or may block (sync ones), and
    what it may call across modules (coroutines).

    ``blocking`` and ``calls`` hold (target, line, always): ``always`` is false for a call
    on a path that may not run (a branch, a loop body, an ``except`` handler).
    ``through_self`` holds (index in ``blocking``, attribute) for the blocking calls made on
    an attribute of ``self`` (a subclass may declare it of another type). ``segments``
    (coroutines): the first and last line of each run of statements with no await that
    holds two or more of its sites and the module's own twin findings. The facts most
    functions lack (``segments``, ``only_if``, ``passes``, ``forwards``, ``loop``, ...)
    default to a shared empty tuple: an empty list each weighed ~3 MB at the peak of a cold
    run of the bench corpus.
    """

    __reduce__ = _by_fields

    is_async: bool
    line: int
    returns: str | None = None
    blocking: list[tuple[str, int, bool]] = field(default_factory=list)
    calls: list[tuple[str, int, bool]] = field(default_factory=list)
    sites: list[CallSite] = field(default_factory=list)
    through_self: list[tuple[int, str]] = field(default_factory=list)
    is_generator: bool = False  # a call runs none of it; iterating its result runs it
    segments: Sequence[tuple[int, int]] = ()
    end_line: int = 0  # its last line
    # (sync functions) the qualified name of its outermost decorator, another module's
    # function; and whether it is itself a decorator whose wrapper only runs what it wraps
    # in a worker thread (``decorated.mark_decorators``): the project pass makes what such
    # a decorator wraps a coroutine function
    decorator: str | None = None
    thread_decorator: bool = False
    # (line, parameter): its steps at that line run only when the parameter is truthy
    only_if: Sequence[tuple[int, str]] = ()
    # (sync functions) the steps of ``blocking`` (target, line) that a ``noqa`` comment on their
    # line silences: no caller's DBK801 reports a chain through them (``BlockingChains``)
    silenced: Sequence[tuple[str, int]] = ()
    # (callee, line, keywords): a call in ``calls`` passing those keywords a false constant
    passes: Sequence[tuple[str, int, tuple[str, ...]]] = ()
    # (callee, line, ((keyword, parameter), ...)): a call in ``calls`` handing on parameters
    # the body never rebinds (``is_file(path)``): the callee's keyword (or place, ``#0``) for
    # each, with the function's own names for it (``("path", "#0")``)
    forwards: Sequence[tuple[str, int, tuple[tuple[str, tuple[str, ...]], ...]]] = ()
    # (sync functions) (callee, ((keyword or place, the parameter's names, its attribute),
    # ...)) of a call in ``calls`` handing on an attribute or item of a parameter the body
    # never rebinds (``bump(ledger.inner)``: ``inner``; ``""``: an item, ``ledger[k]``): what
    # the callee changes of it changes the parameter (``project.handed_on``)
    hands_on: Sequence[tuple[str, tuple[tuple[str, tuple[str, ...], str], ...]]] = ()
    # (sync functions) (method, the parameter's names, its attribute) of a call of a method
    # on a parameter the body never rebinds, or on an attribute or item of it
    # (``ledger.record()``: ``""``; ``ledger.inner.record()``: ``inner``; an item: ``*``):
    # the project's method it resolves to, or ``?.record`` (``duck_callee``) on an object
    # of unknown class; what that method changes of its instance changes the parameter
    calls_on: Sequence[tuple[str, tuple[str, ...], str]] = ()
    # (index in ``blocking``, the parameter's names) of each blocking call made on a
    # parameter's object (``out.write(b)``); and (callee, line, parameters) of each call in
    # ``calls`` handing those an in-memory buffer (``handed_streams``)
    on_parameters: Sequence[tuple[int, tuple[str, ...]]] = ()
    # (index in ``blocking``, project functions) of those of ``on_parameters`` whose
    # parameter is rebound to such a function's result (``out = default_stdout()``): they
    # hold no file only when each of them ``returns_stream``
    stream_helpers: Sequence[tuple[int, tuple[str, ...]]] = ()
    buffers: Sequence[tuple[str, int, tuple[str, ...]]] = ()
    # the names of each parameter whose default is a false constant (``icon=None``), when a
    # step of it depends on a parameter (``only_if``, ``forwards``)
    falsy_defaults: Sequence[tuple[str, ...]] = ()
    # the blocking call whose lazy result it returns (``return os.walk(root)``): iterated
    # by the caller, that result does its I/O there
    lazy_return: str | None = None
    # (sync functions) it may return an object other calls share, a global's or the
    # instance's (``return CHANNEL``: ``returned_state``): a caller's calls on its result
    # are on that object
    returns_shared: bool = False
    # (sync functions) it returns a standard stream, or None (``returned_state``)
    returns_stream: bool = False
    # (why, line): the first thing it does that must run on the event loop's thread (a call
    # that needs the loop, acts on the thread or context, or changes what the process sees)
    loop: tuple = ()
    # the names of the parameter that, truthy, keeps ``loop``'s call from running (``loop or
    # asyncio.get_running_loop()``); and (callee, line, ((place or keyword, attribute), ...))
    # of each call in ``calls`` handing attributes of the instance (``handed_loops``)
    loop_unless: tuple[str, ...] = ()
    handed_self: Sequence[tuple[str, int, tuple[tuple[str, str], ...]]] = ()
    # (coroutines) the first and last line where it suspends other than by awaiting its
    # call sites (none: it never does), and its runs of statements that only those awaits
    # cross (``atomic_runs.awaited_runs``): what it runs before the first and after the last
    # runs with its caller's statements around the await
    suspended: tuple[int, ...] = ()
    runs: Sequence[tuple] = ()
    # (coroutines that never suspend) the instance's and module's state it touches:
    # (``self.x`` or a global, whether it writes it) (``atomic_runs.callee_state``)
    state: Sequence[tuple[str, bool]] = ()
    # (coroutines that may suspend) (line, ``self.x`` or a global, whether it writes it) of
    # each access of that state before its first own suspension or after its last
    # (``atomic_runs.edge_state``): awaited, they run with the caller's statements around
    edges: Sequence[tuple[int, str, bool]] = ()
    # (coroutines that suspend) (line, resource, whether it writes it) of each use of a lazy
    # result (``SectionPlanner.lazy_uses``: ``found`` of ``found = glob.iglob(...)``
    # iterated), where its I/O runs: after the last suspension, with the caller's next
    lazy: Sequence[tuple[int, str, bool]] = ()
    # (coroutines) (first line, last line, sites, (line, state) of its writes of shared
    # state, (line, state) of its reads of state a site hands as an argument) of each run
    # of statements with no await that holds a sync call site (another module's helper,
    # maybe) and another access (``atomic_runs.called_runs``)
    called: Sequence[tuple] = ()
    # (sync functions) the module state a call writes, itself or through the module's sync
    # functions it calls: its globals (``helpers.LOG``), what it writes of its imports
    writes: Sequence[str] = ()
    # (sync functions) the module state a call reads, of the names ``writes`` could hold
    # (the state some sync function of its module writes): ``size()`` of ``def size():
    # return len(LOG)`` beside ``def push(n): LOG.append(n)`` (``project.helper_writes``),
    # and the attributes of imported modules it reads (``len(store.ITEMS)``)
    reads: Sequence[str] = ()
    # (sync functions) the parameters it changes in place (``log.append(x)``), itself or
    # through the module's sync functions it hands them: each by place (``#0``, a method's
    # instance left out) and by name, as a call's ``arguments`` name them
    changes: tuple[str, ...] = ()
    # (sync functions) the parameters whose items it reads itself (``groups[key]``), by place
    # and by name: changed when handed a container whose item read inserts
    items_read: tuple[str, ...] = ()
    # (sync methods) the attributes of its instance it writes, itself or through the
    # module's sync functions (``self.count += 1``: ``count``; ``*``: all of it)
    instance_changes: tuple[str, ...] = ()
    # (coroutines whose ``edges``, ``state`` or sites' ``arguments`` name a parameter,
    # ``atomic_runs.ARGUMENT``) the parameters a call's arguments bind by place, the
    # instance of a method's left out
    parameters: tuple[str, ...] = ()
    # (coroutines) (first line, last line, its parameter's state: ``@owner.count``, ``@log``,
    # whether it writes it) of each section of safe fixes moving it into a thread
    moves: Sequence[tuple[int, int, str, bool]] = ()
    # (coroutines that hand their state to another module's coroutine they await, or, with
    # runs, to any: their instance to their own methods too; with runs, all of their
    # instance's and the module's globals too) what of it the module's code writes, as they
    # name it: ``self.count``, ``?.count``, a global (``handed_state.written_handed``)
    loop_writes: tuple[str, ...] = ()
    # (coroutines with runs) the parameters its runs touch, by name: its callers' objects,
    # which other modules' code may change (``atomic_callers.atomic_spans``)
    run_parameters: tuple[str, ...] = ()
    # (coroutines with parameters' state) the parameters it names only in its returns, each
    # with a place it is returned at (``-1``: the whole result, else a tuple's element): a
    # caller dropping them reads none of them (``returned_parameters``)
    returned: tuple[tuple[str, int], ...] = ()
    # (coroutines) (the lock's name, the first and last line of the body) of each ``async
    # with`` of it on an asyncio lock that stays a suspension point, which ``suspended``
    # leaves out (``atomic_runs.own_suspensions``): it waits there its turn (``""``: a lock
    # not named, a parameter or ``self.x``, maybe of no known type; ``free_locks.ordered_names``)
    ordered: tuple[tuple[str, int, int], ...] = ()
    # (coroutines with such blocks) the lines where it suspends outside their bodies, other
    # than by awaiting its call sites (``atomic_runs.unordered_suspensions``)
    unordered: tuple[int, ...] = ()
    # (coroutines with such blocks) the last line of the first whose body returns
    # (``atomic_runs.returned_turn``): a task returning there suspends after it nowhere
    returned_turn: int = 0
    # (coroutines) (line, *the lines that may come right before it; 0: its start) of each
    # suspension point but its lock blocks (``preceding``) and of each way out, a ``return``'s
    # last line or its last where it runs off its end (``exits``), by its flow
    # (``atomic_runs.exits``): what a task runs from the last suspension before a way out
    # (or its start) runs with the caller's statements after the await
    preceding: tuple[tuple[int, ...], ...] = ()
    exits: tuple[tuple[int, ...], ...] = ()
    # (0 or a ``preceding`` line, the last line a statement may run on with it the last
    # suspension before): where a run with no suspension yet may reach (``first_after``)
    reach: tuple[tuple[int, int], ...] = ()
    # (coroutines) as ``exits``, each line where a call, item or attribute may raise
    # (``suspension_flow``): a way out to a caller running code after it (``CallSite.caught``)
    raising: tuple[tuple[int, ...], ...] = ()
    # (coroutines) the lines of its awaits of a zero sleep (``analysis.zero_sleeps``), where
    # tasks come back in the order they slept: ``unordered`` leaves them out
    zero_sleeps: tuple[int, ...] = ()
    # (coroutines) (the lock's name, as ``ordered`` names it; what they do) of its runs that
    # go on through the wait at an ``async with`` on an asyncio lock and touch what other
    # tasks change (``SectionPlanner.turns``): an await in any body of the lock, in any
    # coroutine, would let other code in while they wait there (``atomic_callers``)
    turns: tuple[tuple[str, str], ...] = ()
    # (coroutines) (first line, last line, the lines of the awaits crossed, the first
    # block's line, the last line of its body, the second's line, what its body touches) of
    # each stretch from an ordered lock's body (or right after it) that goes on across
    # awaits of its call sites into another ``async with`` on an asyncio lock
    # (``lock_reentries.awaited_reentries``): should those awaited never suspend, a fix
    # there would change the order in which tasks come to the second
    reentries: tuple[tuple[int, int, tuple[int, ...], int, int, int, str], ...] = ()

    @property
    def suspends(self) -> bool:
        """(coroutines) Whether it suspends other than by awaiting its call sites."""
        return bool(self.suspended)

    def callees(self) -> list[str]:
        """Every project name it calls (as written in its module, not normalised)."""
        return [*(callee for callee, *_ in self.calls), *(site.callee for site in self.sites)]


# The attribute of a class summary that says what ``with`` binds for an instance, when its
# ``__enter__`` does not return the instance (``""``: not known).
ENTERED = "__enter__()"


@record(slots=True)
class ClassSummary:
    """A class: base classes, methods (name → is coroutine), attribute types (``ENTERED``:
    what its ``__enter__`` returns, when not the instance), methods' parameters (name →
    ``"a, b=, *, c="``), the coroutine methods that run the instance's sync code in a
    worker thread (name → [method holding the bridge, code]) and the methods whose
    parameters a call may not meet as written (``loose``: a decorator other than
    ``staticmethod``, ``classmethod``, ``abstractmethod``, ... wraps them, or two ``def``
    of the name take different parameters), and the methods that run their base's method of
    their name (``extends``: ``super().read(name)``), and the attributes it binds only to an
    event loop (``loops``: ``loop or asyncio.get_running_loop()``)."""

    __reduce__ = _by_fields

    bases: list[str] = field(default_factory=list)
    methods: dict[str, bool] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    signatures: dict[str, str] = field(default_factory=dict)
    in_thread: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    loose: tuple[str, ...] = ()
    extends: tuple[str, ...] = ()
    loops: tuple[str, ...] = ()  # attributes it binds only to an event loop (never falsy)


@record(slots=True)
class ModuleSummary:
    """What other modules need to know about one module; ``bridges``: its functions that
    are thread bridges (``async def run_sync(fn, *args, **kwargs)``), with the async
    library a call of each needs; ``threaded``: the resources its thread helpers (sync
    functions nested in coroutines) touch, each with whether they write it; ``common``: those
    of them all of whose helpers hold the package's common lock (``common_lock``);
    ``program``: whether it runs as a program's entry (``entry_points.runs_as_program``);
    ``instances``: its ``names`` that hold an instance (of the class they name), not the
    class itself; ``tests``: the lines of its lone tests (``lone_tests``); ``reaches``: the
    project modules' globals it uses, its own that its functions use among them
    (``module_uses.reached_globals``); ``moved``: (module, name, first line, last line,
    whether it writes it) of the project modules' globals, its own or another's, and
    (class, ``self.x``, ...) of its instances' attributes, that its safe fixes move into
    threads (``moved_globals``); ``reread``: (module, name, first line,
    last line) of those a run reads twice around a safe fix, which it never writes
    (``reread_globals``), (class, ``self.x``, first line, last line) of its instances'
    attributes so read, and (``PARAMETER``, ``ledger.count``, ...) of its parameters';
    ``beside``: (module, name, first line, last line, the other resource) of those a run only
    reads, which it never writes, around a safe fix, beside another resource other tasks may
    change (``read_beside``); ``handed``: (owner, name, callee, place) of such state its
    functions hand a project function (``handed_state``), which may change it in place;
    ``locks``: the other modules' names its coroutines enter with ``async with``, of a type it
    does not know, and their functions' results they enter so (``helpers.lock_for()``)
    (``free_locks.entered_names``); ``instances_written``: its classes whose instances'
    attributes its code writes, when one has coroutine methods (a coroutine awaiting one on
    an object of its state, ``LEDGER.peek()``, must not let an await come between two reads
    of that object, ``project.atomic_callers``); ``streams``: (``stdout`` or ``stderr``,
    first line, last line) of its sections whose safe fixes write the stream in a thread
    (``Judge.moved_streams``), and ``stream_writers``: (the stream, function or module) of
    its writes of the standard streams (``checker.stream_writers``): one module's writes
    would come between another's pieces written in a thread (``project.streams``);
    ``logged``: its functions that log a record at ``WARNING`` or above, which
    ``logging.lastResort`` writes to ``sys.stderr`` when the process configures no handler,
    and ``handlers``: whether it configures one (``ModuleStreams.logged``, ``handlers``);
    ``entered``: (coroutine, first line, last line, shown, name, holder, awaited, called,
    stacked) of its coroutines' ``with`` and ``async with`` blocks whose manager it does not
    define (``stacked``: the part of an exit stack's block after the manager's entry), and
    ``managers``: (name, entry, exit) of the managers it defines whose entry and exit share
    state
    (``stateful_managers.entered_managers``, ``own_managers``; ``project.managed_blocks``);
    ``deferred``: its coroutines' runs, and what they hand and write around their awaits, are
    not made, nor its writes of the standard streams (a module without findings, analysed by
    a run's module pass): the project pass analyses it again when a fix's safety weighs them
    (``project.deferred``; ``project.streams`` when a fix moves a stream's write);
    ``held``: the locks (its own, other modules') its coroutines enter where that is no free
    lock to it (``free_locks.held_names``), so free to no module (``project.ordered_locks``);
    ``pairs``: (module, name, module, name, first line, last line) of two states a run only
    reads, which the module never writes, around a safe fix (``read_pairs``): other modules
    may write both; ``attributes_written``: the attribute names its functions write on some
    object outside ``__init__``, which a parameter's (a pair's ``ledger.sold``) may be;
    ``plain_managers``: the ``async with`` managers it defines that never suspend, keyed as
    ``managers``, and by ``.__aexit__`` those that never suspend leaving
    (``plain_managers.plain_names``; ``project.managed_blocks.plain_entered``);
    ``conditions``: (name, the name of its lock) of each global it binds to a ``Condition``
    made on another lock (``free_locks.conditions``; ``project.lock_names``)."""

    __reduce__ = _by_fields

    path: str
    module: str
    names: dict[str, str] = field(default_factory=dict)
    functions: dict[str, FunctionSummary] = field(default_factory=dict)
    classes: dict[str, ClassSummary] = field(default_factory=dict)
    bridges: dict[str, str] = field(default_factory=dict)
    threaded: dict[str, bool] = field(default_factory=dict)
    program: bool = False
    common: list[str] = field(default_factory=list)
    instances: list[str] = field(default_factory=list)
    tests: tuple[tuple[int, int], ...] = ()
    reaches: tuple[tuple[str, str, bool], ...] = ()
    moved: tuple[tuple[str, str, int, int, bool], ...] = ()
    locks: tuple[str, ...] = ()
    reread: tuple[tuple[str, str, int, int], ...] = ()
    instances_written: tuple[str, ...] = ()
    handed: tuple[tuple[str, str, str, str], ...] = ()
    streams: tuple[tuple[str, int, int], ...] = ()
    stream_writers: tuple[tuple[str, str], ...] = ()
    beside: tuple[tuple[str, str, int, int, str], ...] = ()
    logged: tuple[str, ...] = ()
    handlers: bool = False
    entered: tuple[tuple[str, int, int, str, str, str, bool, bool], ...] = ()
    managers: tuple[tuple[str, tuple, tuple], ...] = ()
    deferred: bool = False
    held: tuple[str, ...] = ()
    pairs: tuple[tuple[str, str, str, str, int, int], ...] = ()
    attributes_written: tuple[str, ...] = ()
    plain_managers: tuple[str, ...] = ()
    conditions: tuple[tuple[str, str], ...] = ()
    # its top-level coroutines that await a parameter as they are handed it, with those
    # parameters by place and name (``awaited_parameters``)
    awaiters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # an installed library's decorators that run what they wrap in a worker thread
    # (``decorated.thread_decorators``; a project module's mark their functions' summaries)
    thread_decorators: tuple[str, ...] = ()
    # what each manager method its classes define touches (``Class.__exit__``, the triples of
    # ``own_managers``'; ``stateful_managers.manager_sides``): a subclass of another module
    # defining the other side is weighed with it (``project.managed_blocks``)
    sides: tuple[tuple[str, tuple], ...] = ()
    # its sync functions and methods whose one returned value may be an asyncio lock
    # (``lock_getters``): another module entering what one returns waits its turn there
    getters: tuple[str, ...] = ()
    # (qualified name, the call it returns: ``locks.lock_for()``) of its sync functions and
    # methods whose one returned value is a call, maybe of another module's getter
    relays: tuple[tuple[str, str], ...] = ()
    # read with exit registrars' names on receivers of unknown type calling what they are
    # handed at once, where that writes more: (those names, the globals it reaches, (function,
    # writes, reads) of the functions that write or read more) (``registrar_readings``)
    at_once: tuple = ()

    def to_dict(self) -> dict:
        """The JSON form (written out field by field: ``asdict`` deep-copies, slowly)."""
        return {
            "path": self.path,
            "module": self.module,
            "names": self.names,
            "functions": {
                name: {
                    "is_async": fn.is_async,
                    "line": fn.line,
                    "returns": fn.returns,
                    "blocking": fn.blocking,
                    "calls": fn.calls,
                    "sites": [_site_dict(site) for site in fn.sites],
                    "through_self": fn.through_self,
                    "is_generator": fn.is_generator,
                    "end_line": fn.end_line,
                    **({"segments": fn.segments} if fn.segments else {}),  # rarely any
                    **({"decorator": fn.decorator} if fn.decorator else {}),
                    **({"thread_decorator": True} if fn.thread_decorator else {}),
                    **({"only_if": fn.only_if} if fn.only_if else {}),
                    **({"silenced": fn.silenced} if fn.silenced else {}),
                    **({"passes": fn.passes} if fn.passes else {}),
                    **({"forwards": fn.forwards} if fn.forwards else {}),
                    **({"hands_on": fn.hands_on} if fn.hands_on else {}),
                    **({"calls_on": fn.calls_on} if fn.calls_on else {}),
                    **({"on_parameters": fn.on_parameters} if fn.on_parameters else {}),
                    **({"stream_helpers": fn.stream_helpers} if fn.stream_helpers else {}),
                    **({"buffers": fn.buffers} if fn.buffers else {}),
                    **({"falsy_defaults": fn.falsy_defaults} if fn.falsy_defaults else {}),
                    **({"lazy_return": fn.lazy_return} if fn.lazy_return else {}),
                    **({"returns_shared": True} if fn.returns_shared else {}),
                    **({"returns_stream": True} if fn.returns_stream else {}),
                    **({"loop": fn.loop} if fn.loop else {}),
                    **({"loop_unless": fn.loop_unless} if fn.loop_unless else {}),
                    **({"handed_self": fn.handed_self} if fn.handed_self else {}),
                    **({"suspended": fn.suspended} if fn.suspended else {}),
                    **({"runs": fn.runs} if fn.runs else {}),
                    **({"state": fn.state} if fn.state else {}),
                    **({"edges": fn.edges} if fn.edges else {}),
                    **({"lazy": fn.lazy} if fn.lazy else {}),
                    **({"called": fn.called} if fn.called else {}),
                    **({"writes": fn.writes} if fn.writes else {}),
                    **({"reads": fn.reads} if fn.reads else {}),
                    **({"parameters": fn.parameters} if fn.parameters else {}),
                    **({"changes": fn.changes} if fn.changes else {}),
                    **({"items_read": fn.items_read} if fn.items_read else {}),
                    **({"instance_changes": fn.instance_changes} if fn.instance_changes else {}),
                    **({"moves": fn.moves} if fn.moves else {}),
                    **({"loop_writes": fn.loop_writes} if fn.loop_writes else {}),
                    **({"run_parameters": fn.run_parameters} if fn.run_parameters else {}),
                    **({"returned": fn.returned} if fn.returned else {}),
                    **({"ordered": fn.ordered} if fn.ordered else {}),
                    **({"unordered": fn.unordered} if fn.unordered else {}),
                    **({"returned_turn": fn.returned_turn} if fn.returned_turn else {}),
                    **({"preceding": fn.preceding} if fn.preceding else {}),
                    **({"exits": fn.exits} if fn.exits else {}),
                    **({"reach": fn.reach} if fn.reach else {}),
                    **({"raising": fn.raising} if fn.raising else {}),
                    **({"zero_sleeps": fn.zero_sleeps} if fn.zero_sleeps else {}),
                    **({"turns": fn.turns} if fn.turns else {}),
                    **({"reentries": fn.reentries} if fn.reentries else {}),
                }
                for name, fn in self.functions.items()
            },
            "classes": {
                name: {
                    "bases": c.bases,
                    "methods": c.methods,
                    "attributes": c.attributes,
                    "signatures": c.signatures,
                    **({"in_thread": c.in_thread} if c.in_thread else {}),  # rarely any
                    **({"loose": c.loose} if c.loose else {}),
                    **({"extends": c.extends} if c.extends else {}),
                    **({"loops": c.loops} if c.loops else {}),
                }
                for name, c in self.classes.items()
            },
            "bridges": self.bridges,
            "threaded": self.threaded,
            **({"program": True} if self.program else {}),
            **({"common": self.common} if self.common else {}),  # rarely any
            **({"instances": self.instances} if self.instances else {}),
            **({"tests": self.tests} if self.tests else {}),
            **({"reaches": self.reaches} if self.reaches else {}),
            **({"moved": self.moved} if self.moved else {}),
            **({"locks": self.locks} if self.locks else {}),
            **({"reread": self.reread} if self.reread else {}),
            **({"instances_written": self.instances_written} if self.instances_written else {}),
            **({"handed": self.handed} if self.handed else {}),
            **({"streams": self.streams} if self.streams else {}),
            **({"stream_writers": self.stream_writers} if self.stream_writers else {}),
            **({"beside": self.beside} if self.beside else {}),
            **({"logged": self.logged} if self.logged else {}),
            **({"handlers": True} if self.handlers else {}),
            **({"entered": self.entered} if self.entered else {}),
            **({"managers": self.managers} if self.managers else {}),
            **({"deferred": True} if self.deferred else {}),
            **({"held": self.held} if self.held else {}),
            **({"pairs": self.pairs} if self.pairs else {}),
            **({"attributes_written": self.attributes_written} if self.attributes_written else {}),
            **({"plain_managers": self.plain_managers} if self.plain_managers else {}),
            **({"conditions": self.conditions} if self.conditions else {}),
            **({"awaiters": self.awaiters} if self.awaiters else {}),
            **({"thread_decorators": self.thread_decorators} if self.thread_decorators else {}),
            **({"sides": self.sides} if self.sides else {}),
            **({"getters": self.getters} if self.getters else {}),
            **({"relays": self.relays} if self.relays else {}),
            **({"at_once": self.at_once} if self.at_once else {}),
        }

    @classmethod
    def from_dict(cls, data: dict) -> ModuleSummary:
        functions = {}
        for name, fn in data["functions"].items():
            fn = dict(fn)
            fn["blocking"] = [tuple(b) for b in fn["blocking"]]
            fn["calls"] = [tuple(c) for c in fn["calls"]]
            fn["through_self"] = [tuple(t) for t in fn["through_self"]]
            for rare in ("segments", "only_if", "silenced"):  # absent from most functions' JSON
                if rare in fn:
                    fn[rare] = [tuple(t) for t in fn[rare]]
            for pair in (
                "loop",
                "loop_unless",
                "suspended",
                "writes",
                "reads",
                "parameters",
                "changes",
                "items_read",
                "instance_changes",
                "loop_writes",
                "run_parameters",
                "unordered",
                "zero_sleeps",
            ):
                if pair in fn:
                    fn[pair] = tuple(fn[pair])
            if "runs" in fn:
                fn["runs"] = tuple(tuple(map(_event, run)) for run in fn["runs"])
            pairs_of = ("state", "edges", "lazy", "moves", "ordered", "turns", "returned")
            pairs_of += ("exits", "preceding", "reach", "raising")
            for pairs in pairs_of:
                if pairs in fn:
                    fn[pairs] = tuple(map(tuple, fn[pairs]))
            if "reentries" in fn:
                fn["reentries"] = tuple(
                    (first, last, tuple(crossed), taken, held, again, touched)
                    for first, last, crossed, taken, held, again, touched in fn["reentries"]
                )
            if "called" in fn:
                fn["called"] = tuple(
                    (first, last, tuple(sites), tuple(map(tuple, writes)), tuple(map(tuple, reads)))
                    for first, last, sites, writes, reads in fn["called"]
                )
            for passed in ("passes", "buffers"):
                if passed in fn:
                    fn[passed] = [(c, line, tuple(names)) for c, line, names in fn[passed]]
            if "handed_self" in fn:
                fn["handed_self"] = [
                    (c, line, tuple(map(tuple, pairs))) for c, line, pairs in fn["handed_self"]
                ]
            for indexed in ("on_parameters", "stream_helpers"):
                if indexed in fn:
                    fn[indexed] = [(i, tuple(names)) for i, names in fn[indexed]]
            if "forwards" in fn:
                fn["forwards"] = [
                    (c, line, tuple((k, tuple(own)) for k, own in pairs))
                    for c, line, pairs in fn["forwards"]
                ]
            if "hands_on" in fn:
                fn["hands_on"] = [
                    (c, tuple((k, tuple(own), a) for k, own, a in pairs))
                    for c, pairs in fn["hands_on"]
                ]
            if "calls_on" in fn:
                fn["calls_on"] = [(m, tuple(own), a) for m, own, a in fn["calls_on"]]
            if "falsy_defaults" in fn:
                fn["falsy_defaults"] = tuple(map(tuple, fn["falsy_defaults"]))
            fn["sites"] = [_site(site) for site in fn["sites"]]
            functions[name] = FunctionSummary(**fn)
        classes = {
            name: ClassSummary(
                **{
                    **c,
                    "loose": tuple(c.get("loose", ())),
                    "extends": tuple(c.get("extends", ())),
                    "loops": tuple(c.get("loops", ())),
                    "in_thread": _paired(c),
                }
            )
            for name, c in data["classes"].items()
        }
        names, bridges = dict(data["names"]), dict(data["bridges"])
        threaded, program = dict(data["threaded"]), data.get("program", False)
        common, instances = list(data.get("common", ())), data.get("instances", [])
        tests = tuple(map(tuple, data.get("tests", ())))
        reaches, moved, reread, handed = (
            tuple(map(tuple, data.get(k, ()))) for k in ("reaches", "moved", "reread", "handed")
        )
        locks, written = tuple(data.get("locks", ())), tuple(data.get("instances_written", ()))
        rest = (bridges, threaded, program, common, instances, tests, reaches, moved, locks, reread)
        streams, writers, beside = (
            tuple(map(tuple, data.get(k, ()))) for k in ("streams", "stream_writers", "beside")
        )
        rest += (written, handed, streams, writers, beside, tuple(data.get("logged", ())))
        rest += (data.get("handlers", False), tuple(map(tuple, data.get("entered", ()))))
        rest += (tuple(_manager(m) for m in data.get("managers", ())), data.get("deferred", False))
        rest += (tuple(data.get("held", ())), tuple(map(tuple, data.get("pairs", ()))))
        rest += (tuple(data.get("attributes_written", ())), tuple(data.get("plain_managers", ())))
        last = {
            "conditions": tuple(map(tuple, data.get("conditions", ()))),
            "awaiters": {name: tuple(places) for name, places in data.get("awaiters", {}).items()},
            "thread_decorators": tuple(data.get("thread_decorators", ())),
            "sides": tuple((name, tuple(map(tuple, t))) for name, t in data.get("sides", ())),
            "getters": tuple(data.get("getters", ())),
            "relays": tuple(map(tuple, data.get("relays", ()))),
            "at_once": _at_once(data.get("at_once")),
        }
        return cls(data["path"], data["module"], names, functions, classes, *rest, **last)


# written only when set
_RARE_SITE_FIELDS = (
    "lambda_calls",
    "lambda_races",
    "kept",
    "falsy",
    "positional",
    "entered",
    "keywords",
    "buffers",
    "moved",
    "awaits",
    "caught",
    "stays",
    "arguments",
    "plain",
    "inserting",
    "on_instance",
    "tested",
    "awaited_by",
    "on_shared",
    "dropped",
)
_TUPLE_SITE_FIELDS = (
    "dropped",
    "falsy",
    "keywords",
    "buffers",
    "moved",
    "awaited_by",
    "plain",
    "inserting",
)
_SITE_FIELDS = tuple(f.name for f in fields(CallSite) if f.name not in _RARE_SITE_FIELDS)


def _at_once(data: list | None) -> tuple:
    """``ModuleSummary.at_once`` from its JSON form."""
    if not data:
        return ()
    names, reaches, functions = data
    functions = tuple((name, tuple(writes), tuple(reads)) for name, writes, reads in functions)
    return tuple(names), tuple(map(tuple, reaches)), functions


def _paired(data: dict) -> dict[str, list[tuple[str, str]]]:
    """A class's ``in_thread`` read back from JSON."""
    return {name: list(map(tuple, pairs)) for name, pairs in data.get("in_thread", {}).items()}


def _manager(data: list) -> tuple[str, tuple, tuple]:
    """A module's manager (``ModuleSummary.managers``) read back from JSON."""
    name, entry, exit_ = data
    return name, tuple(map(tuple, entry)), tuple(map(tuple, exit_))


def _event(data: list) -> tuple:
    """An event of a coroutine's run (``atomic_runs.Event``) read back from JSON."""
    *fields_, branches, loops = data
    return (*fields_, tuple(map(tuple, branches)), tuple(loops))


def _site_dict(site: CallSite) -> dict:
    data = {k: getattr(site, k) for k in _SITE_FIELDS}
    data.update((k, value) for k in _RARE_SITE_FIELDS if (value := getattr(site, k)))
    return data


def _site(data: dict) -> CallSite:
    site = CallSite(**data)
    for name in _TUPLE_SITE_FIELDS:  # JSON gave lists
        if value := getattr(site, name):
            setattr(site, name, tuple(value))
    site.arguments = tuple(map(tuple, site.arguments))
    return site
