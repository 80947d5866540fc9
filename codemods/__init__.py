"""LibCST codemods, one per fix strategy."""
