"""Trade fairs (issue 6): registration of vetted buyers and makers, meeting requests, optimal
pre-scheduling of one-to-one meetings (``scheduling`` package), repair, agendas and outcomes.

``records`` holds the tables, ``services`` the logic, ``api`` the JSON endpoints, ``pages`` the
organizer's and participants' pages, ``recommend`` the rule score, ``gating`` the vetting gate.
"""
