"""deblock: find blocking calls in async code and fix them."""

__version__ = "0.1.0"
