"""Expected findings written into fixture files as ``# expect: CODE[, CODE]`` comments."""

import re
from collections import Counter

EXPECT = re.compile(r"#\s*expect:\s*([A-Z0-9, ]+)$")


def expected_findings(source: str, path: str = "") -> Counter:
    """``(path, line, code)`` for each expectation in ``source``, counted."""
    expected = Counter()
    for number, line in enumerate(source.splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            for code in match.group(1).split(","):
                expected[(path, number, code.strip())] += 1
    return expected
