"""pandas' and NumPy's file readers and writers, under DBK204: each reads or writes the
whole file on the calling thread. Handed an in-memory buffer (``io.StringIO``) they do no
I/O (``Blocking.over``); a writer handed no file returns the text or bytes instead."""

from deblock.rules.model import Blocking, Returns

RULES = ()  # the findings are DBK204's (``files``)

_FRAMES = ("pandas.DataFrame", "pandas.core.frame.DataFrame")
_SERIES = ("pandas.Series", "pandas.core.series.Series")
_ARRAY = "numpy.ndarray"
# pandas' readers, by the name of the parameter giving the file. Asked for a reader of chunks
# (``chunksize``, ``iterator``), one reads as that is iterated: left unreported rather than
# half fixed.
READERS = {
    "read_csv": "filepath_or_buffer",
    "read_table": "filepath_or_buffer",
    "read_fwf": "filepath_or_buffer",
    "read_json": "path_or_buf",
    "read_excel": "io",
    "read_parquet": "path",
    "read_feather": "path",
    "read_orc": "path",
    "read_pickle": "filepath_or_buffer",
    "read_xml": "path_or_buffer",
    "read_stata": "filepath_or_buffer",
    "read_sas": "filepath_or_buffer",
    "read_spss": "path",
    "read_hdf": "path_or_buf",
}
_CHUNKED = ("chunksize", "iterator")
# A frame's or series' writers, by the name of the parameter giving the file, and whether
# the writer returns the text or bytes when handed none.
_WRITERS = {
    "to_csv": ("path_or_buf", True),
    "to_json": ("path_or_buf", True),
    "to_xml": ("path_or_buffer", True),
    "to_html": ("buf", True),
    "to_markdown": ("buf", True),
    "to_latex": ("buf", True),
    "to_string": ("buf", True),
    "to_parquet": ("path", True),
    "to_orc": ("path", True),
    "to_excel": ("excel_writer", False),
    "to_feather": ("path", False),
    "to_pickle": ("path", False),
    "to_hdf": ("path_or_buf", False),
    "to_stata": ("path", False),
}
# NumPy's readers and writers, by the name of the parameter giving the file; a load that maps
# the file into memory (``mmap_mode``) reads it as the array is used, left unreported.
_NUMPY = {
    "load": "file",
    "save": "file",
    "savez": "file",
    "savez_compressed": "file",
    "loadtxt": "fname",
    "savetxt": "fname",
    "genfromtxt": "fname",
    "fromfile": "file",
}
NUMPY_READERS = ("load", "loadtxt", "genfromtxt", "fromfile")

BLOCKING = (
    *(
        Blocking(
            f"pandas.{reader}",
            "DBK204",
            over=(file, "#0"),
            unless_kwargs=_CHUNKED,
        )
        for reader, file in READERS.items()
    ),
    *(
        Blocking(
            f"{cls}.{writer}", "DBK204", over=(file, "#0"), only_given=(file,) if text else None
        )
        for cls in (*_FRAMES, *_SERIES)
        for writer, (file, text) in _WRITERS.items()
    ),
    *(
        Blocking(f"numpy.{name}", "DBK204", over=(file, "#0"), unless_kwargs=("mmap_mode",))
        for name, file in _NUMPY.items()
    ),
    Blocking(f"{_ARRAY}.tofile", "DBK204", over=("fid", "#0")),
)

RETURNS = (
    *(Returns(f"pandas.{reader}", _FRAMES[0]) for reader in READERS),
    *(Returns(f"numpy.{name}", _ARRAY) for name in NUMPY_READERS),
)
