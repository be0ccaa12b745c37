"""One function per user action: each opens one transaction, writes its audit entry, and
returns plain data (dataclasses), never ORM rows, to the UI and the CLI."""
