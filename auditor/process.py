"""The ``auditor`` process: the console script and ``python -m auditor``.

What belongs to the process rather than to the library lives here: how the process collects
cycles, set before the command line's libraries are imported, and how it exits. A library or a
test calling ``auditor.cli.main()`` or ``analyse()`` keeps Python's collection as it was.
"""

from __future__ import annotations

import gc
import sys
from typing import NoReturn

#: The cyclic collector's thresholds for an ``auditor`` process (Python's are 700, 10, 10).
#: A run builds hundreds of thousands of objects that live until it ends (pydantic's schemas,
#: the graph, WeasyPrint's boxes) and makes few cycles; at Python's thresholds the collector
#: walks the young ones every 700 allocations and the whole heap again and again as it grows:
#: a tenth of the demo's report. Collections still happen, fifty to a hundred times less often.
GC_THRESHOLDS = (50_000, 20, 20)


def run() -> NoReturn:
    """``auditor.cli.main()`` under the thresholds above, then exit without a last sweep of
    the heap.

    The thresholds are set first, so the imports of typer, rich and pydantic run under them
    too. What the paused steps (reading the audit, the analysis) build is frozen when they end
    (``auditor.store.allocation.keep_until_exit``). On its way out Python runs the cyclic
    collector over every object still alive: the schemas pydantic built, networkx and rich,
    the analysis. That pass looks for cycles in memory the process is about to hand back
    anyway, and cost a seventh of ``auditor gaps`` on the demo (benchmarks/README.md).
    Frozen, the objects are still freed and finalised one by one as modules are torn down;
    only the search for cycles is skipped. Every file the commands write is closed by its own
    ``with`` block before ``main()`` returns, so nothing waits on that pass.
    """
    gc.set_threshold(*GC_THRESHOLDS)
    from auditor.store.allocation import keep_until_exit

    keep_until_exit()
    from auditor.cli import main

    code = main()
    gc.freeze()
    sys.exit(code)
