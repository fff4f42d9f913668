"""Import and export of a desk's cases: `importing` reads other registries' files through a
mapping, `exporting` streams a desk's records as CSV or JSON."""
