"""Entry point of the bundled command line, apdesk-cli (see apdesk.spec)."""

import multiprocessing

from apdesk.cli import main

if __name__ == "__main__":
    # A frozen program must call this first, or any worker process would start another APDesk.
    multiprocessing.freeze_support()
    raise SystemExit(main())
