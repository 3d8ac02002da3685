"""Trade fairs (issue 6): registration of vetted buyers and makers, meeting requests, optimal
pre-scheduling of one-to-one meetings (``scheduling`` package), repair, agendas and outcomes; and
(issue 14.6) video meetings, QR check-in, follow-up ratings and the organizer's report.

``records`` holds the tables; ``services`` is the facade over the logic, one module per concept
(``core``, ``registration``, ``marks``, ``problem``, ``runs``, ``meetings``, ``agendas``), with
``video``, ``attendance`` (check-in), ``followups`` and ``report`` beside them; ``api`` and
``api_meetings`` the JSON endpoints, ``pages`` (with ``pages_schedule``, ``pages_agendas``,
``pages_meetings``) the organizer's and participants' pages, ``recommend`` the rule score, ``gating``
the vetting gate.
"""
