"""Read WordprocessingML: the package, its properties and the style resolver."""
