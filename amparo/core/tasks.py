"""Core runs no background job; the audit anchor is sent by `network.tasks`, which knows
who the coordinators are."""
