"""Entry script of the frozen ``rrmdesk`` command (PyInstaller runs this file as ``__main__``)."""

import sys

from rrmdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
