"""The `deblock` program: its console script and `python -m deblock`.

The cyclic garbage collector is paused while the command line's modules import (they
allocate some 100,000 objects and leave no garbage: ~3 % of a one-file run went to
collecting them), the subcommand's too (``cli.LazyGroup``), and every object is frozen on
the way out, so that the interpreter's last collections do not traverse what the process
is about to drop (~4 %).

`deblock check --server` (and `deblock fix --server`) runs in the resident server when
one runs (``deblock.resident``: nothing of the command line is imported here then), else
here, and starts one for the next run.
"""

import sys  # this module imports nothing else before ``run`` catches Ctrl-C


def run() -> None:
    """Run the `deblock` command line on ``sys.argv``; exits with its status."""
    try:
        import gc

        server = _through_server(sys.argv)
        try:
            status = command_line(sys.argv[1:])
        finally:
            gc.freeze()
            if server:
                _start_server()
    except KeyboardInterrupt:  # before or after the command line (which says so itself)
        status = _interrupted()
    sys.exit(status)


def command_line(arguments: list[str]) -> int:
    """Run `deblock` with ``arguments`` (also in the resident server's children); its
    exit status, its output flushed."""
    try:
        from deblock.collector import collector_paused

        with collector_paused():
            from deblock.cli import main

        main(args=arguments, prog_name="deblock")
        status = 0
    except SystemExit as stop:
        status = _exit_status(stop.code)
    except KeyboardInterrupt:  # while the command line imports (once it runs, it says so)
        status = _interrupted()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError):
            pass
    return status


def _interrupted() -> int:
    """Say that Ctrl-C interrupted the run, in one line; the run's exit status."""
    from deblock.exit_status import INTERRUPTED

    print("Interrupted.", file=sys.stderr)
    return INTERRUPTED


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _start_server() -> None:
    """Start the resident server for the next run with ``--server``, or say why not."""
    from deblock.resident.starting import CannotServe, start_in_background

    try:
        start_in_background()
    except CannotServe as reason:
        print(f"deblock: {reason}", file=sys.stderr)


def _through_server(argv: list[str]) -> bool:
    """Whether the command line asks for the resident server (`deblock check ...
    --server`, `deblock fix ... --server`); exits with the status of its run there when
    one runs."""
    arguments = argv[2 : argv.index("--")] if "--" in argv else argv[2:]
    if argv[1:2] not in (["check"], ["fix"]) or "--server" not in arguments:
        return False
    try:
        from deblock.resident.client import forward
    except ImportError:  # no Unix sockets here: the run stays here, and says why
        return True
    status = forward(argv)
    if status is not None:
        sys.exit(status)
    return True


if __name__ == "__main__":
    run()
