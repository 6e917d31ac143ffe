"""``python -m kaifang`` runs the CLI, as the ``kaifang`` console script does."""

from kaifang.cli import main

main()
