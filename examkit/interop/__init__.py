"""LMS interchange: export a bank or an exam folder to Moodle XML, GIFT, Aiken, QTI 2.1, Canvas
(QTI 1.2) and Google Forms (Apps Script); import GIFT, Aiken, Moodle XML, QTI 2.1 and Canvas files
into an examkit bank.

One module per format (`moodle`, `gift`, `aiken`, `qti21`, `canvas`, `gforms`), each with an
`export(package)` and, where the format can be read, a `read(data, shown)`; they meet in the
intermediate of `model.py`, built from banks and exam sets by `source.py` and written back as
bank YAML by `bankwrite.py`.
"""

from .export import FORMATS, ExportReport, export_lms
from .importer import READERS, import_lms

__all__ = ["FORMATS", "READERS", "ExportReport", "export_lms", "import_lms"]
