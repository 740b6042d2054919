"""Writing a file so that a crash never leaves half of it: for case sheets, kept evidence files and
the trainer's own files. A leaf module (it imports nothing of the workbook's but the file mode),
so the store and the trainer's index can both use it without importing each other."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .paths import file_mode


def atomic_write(path: Path, data: bytes, temp: Path | None = None) -> None:
    """Replace ``path`` with ``data`` so that a crash at any moment leaves the old or the new file.

    Temp file in the same directory (same file system, so the rename is atomic), fsync of the
    data before the rename, fsync of the directory after it so the rename itself is durable.
    """
    if temp is None:
        handle, temp_name = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
    else:  # a fixed name (the caller holds a lock): a temp file left by a killed save is reused, not piled up
        handle, temp_name = (
            os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600),
            str(temp),
        )
    try:
        os.fchmod(
            handle, file_mode()
        )  # mkstemp makes it 0600; 0640 where a trainers' group reads sheets
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp_name, path)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
