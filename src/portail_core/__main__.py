"""Run the command line: ``python -m portail_core``."""

import sys

from portail_core.cli import main

sys.exit(main())
