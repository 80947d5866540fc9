"""Type facts of ORMs whose classes are assembled at runtime, which their source alone
cannot show: Django's model managers and query sets. The library index learns the
coroutine twins (``count``/``acount``) from the installed source once these name the
types. DBK603: iterating a query set in a coroutine."""

from deblock.rules.model import Blocking, Proxies, Returns, Rule

RULES = (
    Rule(
        code="DBK603",
        name="sync-query-iteration",
        family="twins",
        coroutine_only=True,
        message="iterating over `{target}` runs its query on the event loop; use `async for`",
        what="Finds a `for` statement, a list, set or dict comprehension, or a builtin that "
        "consumes it (`list(...)`, `sorted(...)`) in a coroutine over a Django query set "
        "(`Note.objects.filter(...)`, `Note.objects.all()`).",
        why="Iterating a query set runs its query and fetches every row through the "
        "database driver on the event loop's thread (Django itself refuses it with "
        "`SynchronousOnlyOperation`). Query sets support `async for` (Django 4.1+), which "
        "runs the query in a worker thread.",
        example="async def titles():\n    return [n.text for n in Note.objects.all()]",
        instead="async def titles():\n    return [n.text async for n in Note.objects.all()]",
        strategy="async-for",
    ),
)

_QUERYSET = "django.db.models.QuerySet"
_MANAGER = "django.db.models.Manager"
_MODEL = "django.db.models.Model"
# QuerySet methods that return a new QuerySet (their source returns ``self._chain()``).
_CHAINED = (
    "alias",
    "all",
    "annotate",
    "complex_filter",
    "defer",
    "difference",
    "distinct",
    "exclude",
    "extra",
    "filter",
    "intersection",
    "none",
    "only",
    "order_by",
    "prefetch_related",
    "reverse",
    "select_for_update",
    "select_related",
    "union",
    "using",
    "values",
    "values_list",
)
# QuerySet methods that return one row.
_ROW = ("create", "earliest", "first", "get", "last", "latest")

# ``tags = models.ManyToManyField(Tag)`` makes ``book.tags`` a related manager: a Manager
# of the related model with these methods, and their coroutine twins (Django 4.2+).
_MANY_TO_MANY = "django.db.models.ManyToManyField"
_RELATED = ("add", "remove", "set", "clear", "create", "get_or_create", "update_or_create")

BLOCKING = (
    Blocking(f"{_QUERYSET}.__iter__", "DBK603"),
    *(Blocking(f"{_MANY_TO_MANY}.{name}", "DBK602", async_twin=f"a{name}") for name in _RELATED),
)

RETURNS = (
    # The model metaclass adds a default manager to every model without one.
    Returns("django.db.models.Model.objects", _MANAGER, attribute=True),
    # ``Manager = BaseManager.from_queryset(QuerySet)`` copies QuerySet's methods.
    Proxies(_MANAGER, _QUERYSET),
    Proxies(_MANY_TO_MANY, _MANAGER),
    Returns(f"{_MANAGER}.get_queryset", _QUERYSET),
    *(Returns(f"{_QUERYSET}.{name}", _QUERYSET) for name in _CHAINED),
    # A row: an instance of the query set's model, whose own methods (``save``/``asave``,
    # ``delete``, ``refresh_from_db``) are ``Model``'s.
    *(Returns(f"{_QUERYSET}.{name}", _MODEL) for name in _ROW),
)
