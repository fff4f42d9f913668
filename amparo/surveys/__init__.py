"""Needs surveys: built by coordinators (XLSForm in and out), answered without an account, read as counts."""
