"""Start APDesk: ``python main.py [--database URL]``.

``python main.py --self-test`` checks the installation instead, offscreen and on temporary
copies only (see apdesk/self_test.py).
"""

from apdesk.app import main

if __name__ == "__main__":
    raise SystemExit(main())
