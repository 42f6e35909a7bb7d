"""Allow ``python -m vanban``."""

from vanban.warm import main

main()
