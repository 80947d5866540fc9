"""A resident server for `deblock check --server`: a process that has imported deblock
once and forks a child for each run, so that a run of one file (the pre-commit case)
does not pay the interpreter's start and deblock's imports again. The child starts with
the server's modules and nothing else of its state; the server stops when deblock's code
or the environment's packages change, or after a while without runs."""

IDLE_SECONDS = 1800  # how long a server waits for a run before it stops
