"""Inventory in and out: spreadsheets (XLSX, CSV) and ArchiMate models.

The sheet layout is derived from the audit's pydantic models (``columns``); files are read
into :class:`~auditor.ingest.records.Record` rows that remember where they came from
(``spreadsheet``, ``archimate``, ``archi_csv``), merged by id into a copy of the audit
(``merge``), and written back out (``workbook``). ``importer`` ties reading and merging
together for the CLI and for library callers.
"""
