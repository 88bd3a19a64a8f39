"""``python -m smotekit``: the command line."""

from smotekit.cli import run

run()
