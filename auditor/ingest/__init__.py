"""Inventory in and out: spreadsheets (XLSX, CSV) and ArchiMate models.

The sheet layout is derived from the audit's pydantic models (``columns``); files are read
into :class:`~auditor.ingest.records.Record` rows that remember where they came from
(``spreadsheet`` for XLSX/CSV; ``archimate`` and ``archi_csv`` read models that
``archi_map`` turns into rows, with ``guesses`` for what ArchiMate cannot say), merged by id
into a copy of the audit (``merge``), and written back out (``export``, laid out by
``workbook_template``). ``importer.import_file`` ties reading and merging together for the
CLI and for library callers.
"""
