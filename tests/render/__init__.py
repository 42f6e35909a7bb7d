"""Tests for the PDF renderer (DOCX to HTML to PDF)."""
