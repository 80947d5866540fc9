"""A loopback emulator of the providers' HTTP APIs: the offline backend and the test double."""

from ai_companion.emulator.faults import Faults
from ai_companion.emulator.server import Emulator

__all__ = ["Emulator", "Faults"]
