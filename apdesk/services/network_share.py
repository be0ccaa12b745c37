"""Is the database file on a network share? SQLite's own documentation says its locking is
unreliable there (and WAL does not work at all), so two PCs can corrupt the file.

``network_location`` is pure: it is given the platform's facts (the drive type of a Windows
drive letter, the text of /proc/mounts) so every case can be tested on any machine.
``database_network_location`` gathers those facts for the running system.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath, PureWindowsPath

DRIVE_REMOTE = 4  # GetDriveTypeW's value for a mapped network drive
# Linux file-system types that live on another machine (NFS, SMB/CIFS shares and kin).
NETWORK_FILESYSTEM_PREFIXES = ("nfs", "cifs", "smb", "ncpfs", "afs", "fuse.sshfs")


def network_location(
    path: str,
    *,
    windows: bool,
    drive_type: Callable[[str], int] | None = None,
    mounts: str | None = None,
) -> str | None:
    """Where on the network ``path`` is, in words, or None when it is on this PC.

    ``path`` should be absolute and, on Linux, have its symbolic links resolved.
    ``drive_type`` answers GetDriveTypeW for a root such as ``"N:\\"``; ``mounts`` is the
    text of /proc/mounts.
    """
    if windows:
        return _windows_location(path, drive_type)
    if mounts is None:
        return None
    return _mounted_location(path, mounts)


def _windows_location(path: str, drive_type: Callable[[str], int] | None) -> str | None:
    text = path.replace("/", "\\")
    if text.upper().startswith("\\\\?\\UNC\\"):  # the long-path spelling of \\server\share
        text = "\\\\" + text[8:]
    elif text.startswith(("\\\\?\\", "\\\\.\\")):  # long-path or device spelling of C:\…
        text = text[4:]
    drive = PureWindowsPath(text).drive
    if drive.startswith("\\\\"):
        return f"it is on the network share {drive}"
    is_letter = len(drive) == 2 and drive[1] == ":"
    if is_letter and drive_type is not None and drive_type(f"{drive.upper()}\\") == DRIVE_REMOTE:
        return f"{drive.upper()} is a network drive"
    return None


def _unescape_mount_field(field: str) -> str:
    """/proc/mounts writes a space as \\040, a tab as \\011 and a backslash as \\134."""
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), field)


def _mounted_location(path: str, mounts: str) -> str | None:
    target = PurePosixPath(path)
    best: tuple[PurePosixPath, str, str] | None = None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        source, mount_point = (_unescape_mount_field(field) for field in fields[:2])
        point = PurePosixPath(mount_point)
        # The longest mount point holding the path is the file system it is on.
        if (target == point or point in target.parents) and (
            best is None or len(point.parts) >= len(best[0].parts)
        ):
            best = (point, fields[2], source)
    if best is None:
        return None
    point, fs_type, source = best
    if fs_type.lower().startswith(NETWORK_FILESYSTEM_PREFIXES):
        return f"{point} is a network share ({fs_type} from {source})"
    return None


def _windows_drive_type(root: str) -> int:
    import ctypes

    return int(ctypes.windll.kernel32.GetDriveTypeW(root))  # type: ignore[attr-defined]


def database_network_location(path: Path) -> str | None:
    """``network_location`` for a file on this system (Windows and Linux; elsewhere None)."""
    if sys.platform == "win32":
        return network_location(str(path.absolute()), windows=True, drive_type=_windows_drive_type)
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux, or /proc is not mounted
        return None
    return network_location(str(path.resolve()), windows=False, mounts=mounts)
