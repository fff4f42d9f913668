"""Accounts has no background job yet (expired-session sweeping arrives with issue 3)."""
