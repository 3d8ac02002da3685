"""Running a fair: creation, registration, requests, scheduling, publication, repair, outcomes.

The API and the pages both call these functions; permission checks stay in the views
(rules in ``fairs.access``). The optimizer is the plain ``scheduling`` package:
:func:`build_problem` turns the database rows into its dataclasses (participant ids are
``"p<participant id>"``, table ids ``"t<table id>"``, slot ids ``YYYYMMDDTHHMM`` in venue time).

This module is the one name the views and jobs use (``svc.publish``, ``svc.disrupt``, ...); the
logic lives in one module per concept, each function under its own name:

* ``core``          slots, participant and schedule-run lookups, optimizer ids
* ``registration``  create_fair, register, register_rows, remove_participant, update_participant
* ``marks``         set_request, marks_of, recommendations
* ``problem``       build_problem (rows -> ``scheduling.Problem``)
* ``runs``          run_schedule, schedule_job, submit_schedule, publish
* ``meetings``      update_meeting, record_follow_up, disrupt (repair)
* ``agendas``       agenda, agenda_pdf, agenda_ics, sync_calendar, schedule_csv, grid
"""
from __future__ import annotations

from .agendas import (agenda, agenda_ics, agenda_pdf, calendar_domain, calendar_token, change_dict,
                      changes_for, grid, participant_by_token, participant_language, schedule_csv,
                      sync_calendar)
from .core import BUYER_KINDS, MAKER_KINDS, SlotInfo, current_run, cut_slots, fair_days, fair_slots, get_participant, now_local, participant_dict, participant_for_org, participants, pid, requests_open, run_meetings, slot_key, tid
from .marks import (all_requests, expiries_of, marks_of, recommendations, request_dict, request_live,
                    set_request)
from .meetings import disrupt, get_meeting, record_follow_up, update_meeting
from .problem import MIN_RECOMMENDED_SCORE, RECOMMENDED_PER_BUYER, Built, build_problem
from .registration import (buyer_standing, create_fair, fair_dict, register, register_rows,
                           registration_candidates, remove_participant, update_participant, update_settings)
from .runs import (SCHEDULE_JOB, check_schedulable, is_over, meeting_dict, publish, run_dict, run_schedule,
                   schedule_job, submit_schedule)

__all__ = [
    "BUYER_KINDS", "Built", "MAKER_KINDS", "MIN_RECOMMENDED_SCORE", "RECOMMENDED_PER_BUYER",
    "SCHEDULE_JOB", "SlotInfo", "agenda", "agenda_ics", "agenda_pdf", "all_requests", "build_problem",
    "buyer_standing", "calendar_domain", "calendar_token", "change_dict", "changes_for", "check_schedulable",
    "create_fair", "current_run", "cut_slots", "disrupt", "expiries_of", "fair_days", "fair_dict", "fair_slots",
    "get_meeting", "get_participant", "grid", "is_over", "marks_of", "meeting_dict", "now_local", "participant_by_token", "participant_dict",
    "participant_for_org", "participant_language", "participants", "pid", "publish", "record_follow_up",
    "recommendations", "register", "register_rows", "registration_candidates", "remove_participant",
    "request_dict", "request_live", "requests_open", "run_dict", "run_meetings", "run_schedule", "schedule_csv", "schedule_job",
    "set_request", "slot_key", "submit_schedule", "sync_calendar", "tid", "update_meeting", "update_participant",
    "update_settings",
]
