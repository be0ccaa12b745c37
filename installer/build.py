"""Build APDesk for distribution: the PyInstaller bundle, its self-test, then (on Windows) the
installer.

Run from anywhere, with the project's environment (``pip install -e ".[installer,postgresql]"``)::

    python installer/build.py                 # dist/APDesk/, self-tested; on Windows also
                                              # dist/installer/APDesk-Setup-<version>.exe
    python installer/build.py --no-installer  # the bundle only
    python installer/build.py --sign-tool "signtool sign /fd sha256 /td sha256 /tr URL /a $f"

The bundle's own ``--self-test`` must pass before an installer is made from it: a module,
resource file or Qt plugin missing from the spec fails the build here, not on a ward PC.
Exit code 0 when everything asked for was built.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "installer" / "apdesk.spec"
ISS = ROOT / "installer" / "apdesk.iss"
IS_WINDOWS = sys.platform == "win32"
EXE_SUFFIX = ".exe" if IS_WINDOWS else ""
SIGN_TOOL_NAME = "apdesksign"  # the name the .iss refers to; the command comes from --sign-tool


class BuildError(RuntimeError):
    pass


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as file:
        return str(tomllib.load(file)["project"]["version"])


def folder_size(folder: Path) -> int:
    """Bytes on disk, as ``du`` counts them: a link to a library is not a second copy."""
    return sum(
        path.stat().st_size
        for path in folder.rglob("*")
        if path.is_file() and not path.is_symlink()
    )


def human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def build_bundle(dist: Path, work: Path) -> Path:
    """Run PyInstaller on the spec; return the bundle folder (``dist/APDesk``)."""
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--clean",
        "--log-level=WARN",
        "--distpath",
        str(dist),
        "--workpath",
        str(work),
        str(SPEC),
    ]
    print("+", " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("PyInstaller failed (its messages are above)")
    return dist / "APDesk"


def bundled_program(bundle: Path, name: str) -> Path:
    return bundle / f"{name}{EXE_SUFFIX}"


def run_self_test(bundle: Path, report: Path, *, data_dir: Path | None = None) -> str:
    """Run the bundled windowed program's ``--self-test``; return its report, raise if it
    failed. It runs with a data folder of its own, so the build machine's database (if any)
    plays no part in whether the build passes."""
    environment = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="apdesk-build-data-") as temporary:
        environment["APDESK_DATA_DIR"] = str(data_dir or temporary)
        environment.setdefault("QT_QPA_PLATFORM", "offscreen")
        result = subprocess.run(
            [str(bundled_program(bundle, "APDesk")), "--self-test", "--self-test-report", report],
            env=environment,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    # A windowed Windows program may have no stdout: the report file always has the steps.
    text = report.read_text(encoding="utf-8") if report.is_file() else result.stdout
    if result.returncode != 0:
        raise BuildError(
            f"the bundle's self-test failed (exit code {result.returncode}):\n{text}{result.stderr}"
        )
    return text


def check_command_line(bundle: Path, version: str) -> None:
    result = subprocess.run(
        [str(bundled_program(bundle, "apdesk-cli")), "--version"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0 or version not in result.stdout:
        raise BuildError(
            f"apdesk-cli --version printed {result.stdout!r} {result.stderr!r} "
            f"(exit code {result.returncode}), expected APDesk {version}"
        )


def find_iscc() -> Path | None:
    """Inno Setup 6's command-line compiler: on PATH, or where its installer puts it (for all
    users, or per user without admin rights)."""
    on_path = shutil.which("ISCC")
    if on_path:
        return Path(on_path)
    for variable in ("ProgramFiles(x86)", "ProgramFiles", "LOCALAPPDATA"):
        base = os.environ.get(variable)
        if not base:
            continue
        for folder in (Path(base) / "Inno Setup 6", Path(base) / "Programs" / "Inno Setup 6"):
            if (folder / "ISCC.exe").is_file():
                return folder / "ISCC.exe"
    return None


def build_installer(iscc: Path, version: str, sign_tool: str | None) -> Path:
    command = [str(iscc), "/Qp", f"/DAppVersion={version}"]
    if sign_tool:
        # ISCC runs this for the setup program, the uninstaller and both executables.
        command += [f"/S{SIGN_TOOL_NAME}={sign_tool}", f"/DSignToolName={SIGN_TOOL_NAME}"]
    command.append(str(ISS))
    print("+", " ".join(command), flush=True)
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BuildError("Inno Setup's compiler failed (its messages are above)")
    return ROOT / "dist" / "installer" / f"APDesk-Setup-{version}.exe"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--no-installer", action="store_true", help="build and test the bundle only"
    )
    parser.add_argument(
        "--sign-tool",
        metavar="COMMAND",
        help="code-signing command for Inno Setup, with $f for the file (see installer/README.md)",
    )
    options = parser.parse_args(argv)
    version = project_version()
    dist, work = ROOT / "dist", ROOT / "build"
    try:
        started = time.perf_counter()
        bundle = build_bundle(dist, work)
        seconds = time.perf_counter() - started
        print(f"Bundle: {bundle} ({human_size(folder_size(bundle))}, built in {seconds:.0f} s)")
        check_command_line(bundle, version)
        print(run_self_test(bundle, work / "self-test.txt"), end="")
        if options.no_installer:
            return 0
        if not IS_WINDOWS:
            print("The Windows installer is built on Windows (Inno Setup); skipped here.")
            return 0
        iscc = find_iscc()
        if iscc is None:
            raise BuildError(
                "Inno Setup 6 was not found (ISCC.exe on PATH or in its usual folders); "
                "install it from https://jrsoftware.org/isdl.php or use --no-installer"
            )
        installer = build_installer(iscc, version, options.sign_tool)
        print(f"Installer: {installer} ({human_size(installer.stat().st_size)})")
    except (BuildError, subprocess.TimeoutExpired) as error:
        print(f"build: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
