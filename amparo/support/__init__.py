"""Emergency support: requests for funds, relocation, legal, medical and psychosocial help, matched
to funds and decided by fund reviewers.
"""
