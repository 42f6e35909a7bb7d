"""Tests for issuing: digital signatures and their verification."""
