"""`python -m deblock`."""

from deblock.cli import main

main(prog_name="deblock")
