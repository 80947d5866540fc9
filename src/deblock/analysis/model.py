"""What the analyzer takes (its options) and gives (a module's report).

The annotations are evaluated, as in ``deblock.findings`` (named tuples' fields).
"""

from typing import TYPE_CHECKING, NamedTuple

from deblock.findings import Finding
from deblock.rules.model import Blocking

if TYPE_CHECKING:  # the settings import the options; a warm run needs no summary
    from deblock.analysis.summary import ModuleSummary


class AnalysisOptions(NamedTuple):
    """What the analyzer needs from the configuration."""

    async_library: str = "auto"
    extend_blocking_calls: tuple[Blocking, ...] = ()
    async_twins: tuple[tuple[str, str], ...] = ()
    thread_bridge: str | None = None


class ModuleReport(NamedTuple):
    """The findings of one module, the async library it commits to (None: its project's
    decides, see ``async_library``), the summary project-wide analysis needs, and the
    first line where it steps a coroutine by hand (``hand_stepped``), and how it binds the
    names its fixes import (``fix_imports.import_bindings``)."""

    findings: list[Finding]
    library: str | None = None
    summary: "ModuleSummary | None" = None
    steps: int | None = None
    binds: dict | None = None
