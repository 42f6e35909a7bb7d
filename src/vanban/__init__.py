"""vanban: Vietnamese official paperwork from one YAML dossier."""

from __future__ import annotations

__version__ = "0.1.0"
