"""Telling a database file on a network share from one on this PC, for Windows and Linux,
from the facts each system gives (GetDriveTypeW, /proc/mounts)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from apdesk.services.network_share import (
    DRIVE_REMOTE,
    database_network_location,
    network_location,
)

DRIVE_FIXED = 3
MOUNTS = """\
/dev/nvme0n1p2 / ext4 rw,relatime 0 0
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
tmpfs /tmp tmpfs rw,nosuid,nodev 0 0
//fileserver/Education /mnt/education cifs rw,vers=3.1.1,sec=ntlmssp 0 0
nas:/export/home /home nfs4 rw,relatime,vers=4.2 0 0
/dev/sdb1 /home/local ext4 rw,relatime 0 0
//fs/Shared\\040Drive /mnt/shared\\040drive smb3 rw 0 0
"""


def drive_types(remote: str) -> Callable[[str], int]:
    return lambda root: DRIVE_REMOTE if root == remote else DRIVE_FIXED


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (r"\\fileserver\Education\APDesk\apdesk.sqlite3", r"network share \\fileserver\Education"),
        ("//fileserver/Education/apdesk.sqlite3", r"network share \\fileserver\Education"),
        (r"\\?\UNC\fileserver\Education\apdesk.sqlite3", r"network share \\fileserver\Education"),
        (r"N:\APDesk\apdesk.sqlite3", "N: is a network drive"),
        (r"n:\APDesk\apdesk.sqlite3", "N: is a network drive"),
        (r"\\?\N:\APDesk\apdesk.sqlite3", "N: is a network drive"),
        (r"C:\Users\sam\AppData\Local\APDesk\apdesk.sqlite3", None),
        (r"\\?\C:\Users\sam\apdesk.sqlite3", None),
    ],
)
def test_windows_unc_paths_and_mapped_drives(path: str, expected: str | None) -> None:
    found = network_location(path, windows=True, drive_type=drive_types("N:\\"))
    if expected is None:
        assert found is None
    else:
        assert found is not None and expected in found


def test_a_windows_drive_letter_without_a_drive_type_lookup_is_not_guessed() -> None:
    assert network_location(r"N:\apdesk.sqlite3", windows=True) is None


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/mnt/education/apdesk/apdesk.sqlite3", "/mnt/education is a network share (cifs"),
        ("/home/sam/.local/share/APDesk/apdesk.sqlite3", "/home is a network share (nfs4"),
        ("/home/local/apdesk.sqlite3", None),  # a local disk mounted inside the NFS home
        ("/mnt/shared drive/apdesk.sqlite3", "/mnt/shared drive is a network share (smb3"),
        ("/mnt/educationals/apdesk.sqlite3", None),  # a sibling name is not inside the mount
        ("/tmp/apdesk.sqlite3", None),
        ("/var/lib/apdesk.sqlite3", None),
    ],
)
def test_linux_mounts_by_file_system_type(path: str, expected: str | None) -> None:
    found = network_location(path, windows=False, mounts=MOUNTS)
    if expected is None:
        assert found is None
    else:
        assert found is not None and found.startswith(expected)


def test_without_mount_information_nothing_is_claimed() -> None:
    assert network_location("/mnt/education/x.sqlite3", windows=False, mounts=None) is None


def test_this_test_machines_temporary_folder_is_local(tmp_path: Path) -> None:
    assert database_network_location(tmp_path / "apdesk.sqlite3") is None
