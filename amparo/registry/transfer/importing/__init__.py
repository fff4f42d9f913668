"""Importing any CSV file of attacks through a JSON mapping (docs/import.md).

    from amparo.registry.transfer import importing
    result = importing.import_file(path, desk, "docs/mappings/cpj_journalists_killed_1992_2018.json")
    result.added, result.updated, result.unchanged, result.errors
"""

from amparo.registry.transfer.importing.mapping import Mapping, MappingError, load_mapping, parse_mapping
from amparo.registry.transfer.importing.rows import RowError
from amparo.registry.transfer.importing.service import ImportResult, import_bytes, import_file, import_lines

__all__ = [
    "ImportResult", "Mapping", "MappingError", "RowError", "import_bytes", "import_file", "import_lines",
    "load_mapping", "parse_mapping",
]
