from apdesk.cli import main

raise SystemExit(main())
