"""Run the sample service's ``main`` with blockbuster active: exit 3 if the loop blocked."""

import asyncio
import sys

from blockbuster import BlockingError, blockbuster_ctx


def main(directory: str) -> int:
    sys.path.insert(0, ".")  # the service's copy is the working directory
    from notes.service import main as service_main

    with blockbuster_ctx():
        try:
            asyncio.run(service_main(directory))
        except BlockingError as exc:
            print(f"blocked: {exc}", file=sys.stderr)
            return 3
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
