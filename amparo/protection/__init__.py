"""Protection accompaniment: risk assessments, protection plans with check-ins, justice follow-up
and communications to the UN special procedures.
"""
