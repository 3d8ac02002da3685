"""Full-package consortia (issue 16): a coordinator firm splits a requirement no single maker
can serve into stages and gets optimal, diverse teams of makers from ``scheduling.consortia``.

``records`` holds the tables, ``problem`` turns a requirement and the makers' public profiles
into the optimizer's problem, ``services`` runs it as a job and keeps proposals, parts and
offers, ``access`` the object rules, ``api`` the JSON endpoints, ``pages`` the pages,
``gantt`` the stage plan chart and ``reasons`` the words (their Spanish is in the gettext catalog).
"""
