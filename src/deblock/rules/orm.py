"""Type facts of ORMs whose classes are assembled at runtime, which their source alone
cannot show: Django's model managers and query sets. The library index learns the
coroutine twins (``count``/``acount``) from the installed source once these name the
types."""

from deblock.rules.model import Proxies, Returns

RULES = ()
BLOCKING = ()

_QUERYSET = "django.db.models.QuerySet"
_MANAGER = "django.db.models.Manager"
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

RETURNS = (
    # The model metaclass adds a default manager to every model without one.
    Returns("django.db.models.Model.objects", _MANAGER, attribute=True),
    # ``Manager = BaseManager.from_queryset(QuerySet)`` copies QuerySet's methods.
    Proxies(_MANAGER, _QUERYSET),
    Returns(f"{_MANAGER}.get_queryset", _QUERYSET),
    *(Returns(f"{_QUERYSET}.{name}", _QUERYSET) for name in _CHAINED),
)
