"""Every write to the vocabulary: terms one by one (`terms`) and the CSV round trip
(`csv_transfer`). Callers write `from amparo.vocabulary import services`."""

from amparo.vocabulary.services.csv_transfer import ImportResult, LineError, export_csv, import_csv
from amparo.vocabulary.services.terms import KEEP, create_term, restore_term, retire_term, update_term

__all__ = ["KEEP", "ImportResult", "LineError", "create_term", "export_csv", "import_csv", "restore_term",
           "retire_term", "update_term"]
