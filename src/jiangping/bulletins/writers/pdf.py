"""The bulletin as PDF, rendered on the server from the HTML.

Interface: ``write_pdf(bulletin: Bulletin) -> bytes``.
"""
