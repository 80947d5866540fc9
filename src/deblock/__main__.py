"""The `deblock` program: its console script and `python -m deblock`.

The cyclic garbage collector is paused while the command line's modules import (they
allocate some 100,000 objects and leave no garbage: ~3 % of a one-file run went to
collecting them), the subcommand's too (``cli.LazyGroup``), and every object is frozen on
the way out, so that the interpreter's last collections do not traverse what the process
is about to drop (~4 %).
"""

import gc

from deblock.collector import collector_paused


def run() -> None:
    """Run the `deblock` command line on ``sys.argv``; exits with its status."""
    with collector_paused():
        from deblock.cli import main

    try:
        main(prog_name="deblock")
    finally:
        gc.freeze()


if __name__ == "__main__":
    run()
