"""The version is written once, in pyproject.toml; everything else reads it from there."""

from __future__ import annotations

import tomllib
from importlib.metadata import PackageNotFoundError
from pathlib import Path

import pytest

import apdesk
from apdesk.cli import build_parser

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def pyproject_version() -> str:
    with PYPROJECT.open("rb") as file:
        return tomllib.load(file)["project"]["version"]


def test_the_package_reports_pyprojects_version() -> None:
    # Fails when the installed metadata is stale: run `pip install -e .` again.
    assert apdesk.__version__ == pyproject_version()


def test_the_command_line_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--version"])
    assert capsys.readouterr().out.strip() == f"APDesk {pyproject_version()}"


def test_a_source_tree_without_metadata_reads_pyproject(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(apdesk, "version", not_installed)
    assert apdesk._version() == pyproject_version()


def test_with_neither_the_version_is_plainly_unknown(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    def not_installed(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr(apdesk, "version", not_installed)
    monkeypatch.setattr(apdesk, "__file__", str(tmp_path / "apdesk" / "__init__.py"))
    assert apdesk._version() == apdesk.UNKNOWN_VERSION
