"""Every write of the support app, a module per job:

- `requests`: a request made with her account, her receipt, or by a documenter for her;
- `decisions`: the reviewers' decisions, with a second reviewer above a threshold;
- `conversation`: her sealed messages with the reviewers;
- `funds`: the directory of funds, its CSV import and export; `demo`: invented examples;
- `payments`: disbursement (planned, sent, received) and the follow-up report's due date;
- `reminders`: overdue requests and follow-up reports due, each reminded once.
"""

from .conversation import add_message
from .decisions import DecisionRefused, confirm, decide, needs_second_reviewer
from .demo import add_demo_funds
from .funds import FundData, ImportRefused, add_fund, edit_fund, export_funds, import_funds
from .payments import record_payment
from .reminders import overdue, remind_overdue, remind_reports
from .requests import Asker, RequestData, decision_hours, make_request

__all__ = [
    "Asker", "DecisionRefused", "FundData", "ImportRefused", "RequestData", "add_demo_funds", "add_fund",
    "add_message", "confirm", "decide", "decision_hours", "edit_fund", "export_funds", "import_funds",
    "make_request", "needs_second_reviewer", "overdue", "record_payment", "remind_overdue", "remind_reports",
]
