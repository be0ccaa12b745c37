"""Entry point of the bundled windowed program, APDesk (see apdesk.spec)."""

import multiprocessing

from apdesk.app import main

if __name__ == "__main__":
    # A frozen program must call this first, or any worker process would start another APDesk.
    multiprocessing.freeze_support()
    raise SystemExit(main())
