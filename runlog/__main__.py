"""`python -m runlog`."""

from runlog.cli import main

main()
