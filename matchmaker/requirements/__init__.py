"""Buyers' requirements (RFQs): what to make, how many, by when, under which constraints.

``records`` holds the table, ``schemas`` the pydantic request and answer bodies, ``services`` the writes
(each queues the requirement's search document), ``forms`` the requirement form, ``pages`` a buyer's list,
form and view (with the learned ranking of makers), ``api`` the ``/api/v1/requirements`` routes. Who sees
which requirement is decided in ``permissions``.
"""
