"""Who is acting: the signed-in account (name, id, role), carried into every service call.

Services check the role themselves (apdesk.services.permissions), so hiding a button is a
courtesy, never the protection.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from apdesk.domain.enums import Role


@dataclass(frozen=True)
class Actor:
    name: str
    user_id: int | None = None
    role: Role | None = None  # None: nobody signed in (only set-up actions are open)
    username: str = ""

    @property
    def label(self) -> str:
        return f"{self.name} ({self.role.label.lower()})" if self.role else self.name

    @classmethod
    def from_environment(cls) -> Actor:
        """The operating-system user, before anyone has signed in to APDesk."""
        try:
            return cls(name=f"{getpass.getuser()} (not signed in)")
        except OSError:  # no login name, e.g. a service account
            return cls(name="unknown user (not signed in)")


SYSTEM = Actor(name="APDesk")
