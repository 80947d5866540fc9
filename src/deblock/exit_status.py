"""Exit statuses of the command line beside 0 (nothing left), 1 (findings left) and 2 (an
error)."""

# A run Ctrl-C interrupted: 128 + SIGINT, as a shell reports it.
INTERRUPTED = 130
