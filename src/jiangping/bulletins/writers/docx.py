"""The bulletin as DOCX in GB/T 9704 layout (公文格式).

Interface: ``write_docx(bulletin: Bulletin) -> bytes``.
"""
