"""Every protection write, a module per job."""

from .assessments import assess_risk
from .check_ins import alert_missed_check_ins, check_in, schedule_check_ins, stop_check_ins
from .common import Refused
from .communications import generate_communication, note_download, record_reply, record_sent
from .justice import record_complaint, set_complaint_stage
from .plans import add_measure, add_protocol, mark_measure_done, tick_protocol

__all__ = [
    "Refused", "add_measure", "add_protocol", "alert_missed_check_ins", "assess_risk", "check_in",
    "generate_communication", "mark_measure_done", "note_download", "record_complaint", "record_reply",
    "record_sent", "schedule_check_ins", "set_complaint_stage", "stop_check_ins", "tick_protocol",
]
