"""Tests for vanban."""
