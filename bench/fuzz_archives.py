"""The archive steps ``fuzz_programs`` draws with ``archives=True``: ``zipfile.ZipFile``
opened over a path (``box.zip``, which ``setup`` makes empty), whose every use reads or
writes the disk, and over an ``io.BytesIO`` buffer, which does no I/O (no finding). Entries
carry ``ZipInfo``'s fixed date, so an archive's bytes depend only on what was written."""

from __future__ import annotations

BOX = 'os.path.join(root, "box.zip")'
_APPEND = [
    f'with zipfile.ZipFile({BOX}, "a") as box:',
    '    box.writestr(zipfile.ZipInfo(f"{i}-{len(box.namelist())}.txt"), str(i))',
]

# Each step: its lines and the imports they need. An entry appended, the names listed, the
# count's update around an append, the archive's bytes read then opened in memory, an archive
# built in memory from the count, the names checked and then an entry appended.
STEPS = [
    (_APPEND, {"zipfile", "os"}),
    (
        [f"with zipfile.ZipFile({BOX}) as box:", "    out.append(sorted(box.namelist()))"],
        {"zipfile", "os"},
    ),
    (["n = {count}", *_APPEND, "{count} = n + 1"], {"zipfile", "os"}),
    (
        [
            f"data = Path({BOX}).read_bytes()",
            "with zipfile.ZipFile(io.BytesIO(data)) as box:",
            "    out.append(len(box.namelist()))",
        ],
        {"zipfile", "io", "os", "Path"},
    ),
    (
        [
            "buf = io.BytesIO()",
            'with zipfile.ZipFile(buf, "w") as box:',
            '    box.writestr(zipfile.ZipInfo("count.txt"), str({count}))',
            "{log}.append(len(buf.getvalue()))",
        ],
        {"zipfile", "io"},
    ),
    (
        [
            f"with zipfile.ZipFile({BOX}) as box:",
            "    seen = len(box.namelist())",
            "if seen < 2:",
            *("    " + line for line in _APPEND),
        ],
        {"zipfile", "os"},
    ),
]
# an archive opened before an await and read after it (its names were read as it opened)
LATER = (
    [
        f"box = zipfile.ZipFile({BOX})",
        "await asyncio.sleep(0)",
        "out.append(sorted(box.namelist()))",
        "box.close()",
    ],
    {"zipfile", "os", "asyncio"},
)
