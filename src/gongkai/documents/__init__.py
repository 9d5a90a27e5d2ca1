"""File formats: PDF and DOCX output, text extraction from attachments, masked copies.

Not domain code (it touches files and third-party libraries) and not an app (no tables):
apps call these helpers to read and write the documents people open.
"""
