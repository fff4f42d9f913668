"""The helpdesk rows of the project-wide test tables (see amparo/tests/tables.py)."""

from __future__ import annotations
