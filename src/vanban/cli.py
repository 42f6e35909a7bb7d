"""Command-line interface (the only module that imports click)."""

from __future__ import annotations

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="vanban")
def cli() -> None:
    """Soạn hồ sơ văn bản từ một tệp YAML."""


def main() -> None:
    cli()
