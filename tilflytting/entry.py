"""The `tilflytting` program's entry point.

`--version` is answered before the command-line framework is even imported
(scripts and shells ask it often); everything else goes to the CLI.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    if sys.argv[1:] == ["--version"]:
        from tilflytting import __version__

        print(f"tilflytting {__version__}")
        return
    # Start-up makes tens of thousands of objects that live as long as the
    # process (modules, classes, functions): looking for garbage among them
    # finds none. So no collection while they are made; then they are frozen
    # out of later collections, and at exit everything is, so the last sweep
    # has nothing to do. 15-20 ms less a command (benchmarks/bench.py).
    gc.disable()
    try:
        from tilflytting.cli import main as cli_main
    finally:
        gc.freeze()
        gc.enable()
    # The command runs with collection on, but the youngest generation is
    # looked through every 20,000 new objects, not 700: a table command made
    # about 20 such passes (with their promotions, 2 ms) over objects that
    # all live until it prints; a long import still frees its cycles.
    gc.set_threshold(20_000, *gc.get_threshold()[1:])
    try:
        cli_main()
    finally:
        gc.freeze()
