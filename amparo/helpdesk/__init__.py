"""The digital-security help desk: help requests, conversations with ICT experts, tutorials and
lockdown after a seized phone.
"""
