"""``python -m ui`` starts the desktop app, like ``rrmdesk-gui``."""

import sys

from ui.app import main

sys.exit(main())
