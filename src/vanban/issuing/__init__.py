"""Issuing: what happens to a document after it is built (register, digital signatures)."""
