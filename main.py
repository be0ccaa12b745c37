"""Start APDesk: ``python main.py [--database URL]``."""

from apdesk.app import main

if __name__ == "__main__":
    raise SystemExit(main())
