"""Allow ``python -m vanban``."""

from vanban.cli import main

main()
