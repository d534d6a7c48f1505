"""The `tilflytting` program's entry point.

`--version` is answered before the command-line framework is even imported
(scripts and shells ask it often); everything else goes to the CLI.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from tilflytting import __version__

        print(f"tilflytting {__version__}")
        return
    from tilflytting.cli import main as cli_main

    cli_main()
