"""The subcommands of the `deblock` CLI, each imported only when it is run."""
