"""Who is acting. Until accounts exist (issue: accounts and sign-off), the CLI and the desktop
act as the operating-system user; later an Actor carries the signed-in account."""

from __future__ import annotations

import getpass
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: int | None = None

    @classmethod
    def from_environment(cls) -> Actor:
        try:
            return cls(name=f"{getpass.getuser()} (desktop user)")
        except OSError:  # no login name, e.g. a service account
            return cls(name="unknown desktop user")


SYSTEM = Actor(name="APDesk")
