"""Circuit breaker and retry policy shared by every provider."""

from ai_companion.resilience.breaker import BreakerState, CircuitBreaker, CircuitOpenError
from ai_companion.resilience.retry import RetryPolicy

__all__ = ["BreakerState", "CircuitBreaker", "CircuitOpenError", "RetryPolicy"]
