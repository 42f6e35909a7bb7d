"""Issuing: what happens to a document after the build (numbering, the outgoing register,
signing). A stage after the build, on top of :mod:`vanban.build` and the renderers."""
