"""The Windows version resource written for the bundle's executables (not marked `bundle`:
no build needed)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from installer.version_resource import (
    numeric_version,
    project_version,
    version_file_text,
    write_version_file,
)

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.0.3.7", (2, 0, 3, 7)),
        ("1.2.0rc1", (1, 2, 0, 0)),
        ("1.4.dev2", (1, 4, 0, 0)),
        ("3.0.0.0.9", (3, 0, 0, 0)),
        ("70000.1", (65535, 1, 0, 0)),  # each field is 16 bits
    ],
)
def test_windows_gets_four_numbers(version: str, numbers: tuple[int, int, int, int]) -> None:
    assert numeric_version(version) == numbers


def test_the_resource_carries_pyprojects_version(tmp_path: Path) -> None:
    version = project_version(ROOT / "pyproject.toml")
    path = write_version_file(
        version, tmp_path / "version.txt", file_name="APDesk.exe", description="APDesk"
    )
    text = path.read_text(encoding="utf-8")
    assert f"StringStruct('ProductVersion', '{version}')" in text
    assert f"filevers={numeric_version(version)}" in text
    assert "StringStruct('OriginalFilename', 'APDesk.exe')" in text


def _evaluated(text: str) -> Any:
    """The version file evaluated as PyInstaller does (it calls eval), with stand-ins that
    record each structure as (name, arguments)."""

    def structure(name: str) -> Any:
        return lambda *args, **kwargs: (name, args, kwargs)

    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct")  # fmt: skip
    return eval(compile(ast.parse(text, mode="eval"), "version.txt", "eval"),
                {name: structure(name) for name in names})  # fmt: skip


def test_the_file_is_the_structure_pyinstaller_evaluates() -> None:
    text = version_file_text("1.2.0rc1", file_name="apdesk-cli.exe", description="APDesk CLI")
    name, _, parts = _evaluated(text)
    assert name == "VSVersionInfo"
    fixed = parts["ffi"][2]
    assert fixed["filevers"] == fixed["prodvers"] == (1, 2, 0, 0)
    string_file_info, var_file_info = parts["kids"]
    table = string_file_info[1][0][0]
    strings = {entry[1][0]: entry[1][1] for entry in table[1][1]}
    assert strings["ProductVersion"] == strings["FileVersion"] == "1.2.0rc1"
    assert strings["OriginalFilename"] == "apdesk-cli.exe"
    assert var_file_info[1][0][0][1] == ("Translation", [2057, 1200])  # English (UK), Unicode


def test_pyinstaller_reads_it_on_windows(tmp_path: Path) -> None:
    versioninfo = pytest.importorskip(
        "PyInstaller.utils.win32.versioninfo",
        reason="PyInstaller reads version files with pefile, which it installs only on Windows",
    )
    path = tmp_path / "version.txt"
    path.write_text(
        version_file_text("1.2.0rc1", file_name="apdesk-cli.exe", description="APDesk CLI"),
        encoding="utf-8",
    )
    info = versioninfo.load_version_info_from_text_file(str(path))
    assert info.ffi.fileVersionMS == (1 << 16) | 2
