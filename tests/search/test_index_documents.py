"""The documents the index gets: a rebuild and an incremental update write the same document.

A rebuild reads whole tables in id-range batches; the outbox drain reads the named rows by id. Both
must give each maker and requirement the very document the loaded ORM objects give, so a search
never answers differently after a ``flask index rebuild`` than after the same rows were saved.
"""
from __future__ import annotations

from sqlalchemy import select

from indexing import open_backend
from matchmaker import db
from matchmaker.makers.records import MakerProfile
from matchmaker.organizations.records import Membership
from matchmaker.requirements.records import Requirement
from matchmaker.search import documents
from matchmaker.search.outbox import record_change
from matchmaker.search.sync import drain, spec_for
from tests.search.conftest import sources


def test_documents_read_in_batches_equal_those_of_the_loaded_rows(demo):
    with demo.app_context():
        session = db.session()
        makers = {d["id"]: d for d in documents.maker_documents(session, batch=7)}
        assert len(makers) == 60
        members: dict[int, list[int]] = {}
        for org_id, assoc_id in session.execute(select(Membership.organization_id, Membership.association_id)
                                                .order_by(Membership.id)):
            members.setdefault(org_id, []).append(assoc_id)
        for profile in session.scalars(select(MakerProfile)):
            doc = documents.maker_document(profile, members.get(profile.organization_id, []))
            assert makers[doc["id"]] == doc
        # the demo gives makers certificates, lists and memberships: the comparison covers them
        assert any(d["cert_records"] for d in makers.values()) and any(d["associations"] for d in makers.values())
        assert any(d["ordered_lists"] for d in makers.values())
        reqs = {d["id"]: d for d in documents.requirement_documents(session, batch=5)}
        assert reqs and len(reqs) == session.query(Requirement).count()
        for req in session.scalars(select(Requirement)):
            assert reqs[str(req.id)] == documents.requirement_document(req, reqs[str(req.id)]["buyer_cleared"])
        # by ids, as the drain asks: the same documents, unknown ids skipped
        some = sorted(int(i) for i in makers)[::5] + [10**9]
        assert {d["id"]: d for d in documents.maker_documents(session, some)} == {
            str(i): makers[str(i)] for i in some[:-1]}


def test_a_rebuilt_index_holds_what_incremental_updates_write(demo, tmp_path):
    rebuilt, updated = open_backend(str(tmp_path / "rebuilt")), open_backend(str(tmp_path / "updated"))
    with demo.app_context():
        session = db.session()
        for name, fn in documents.DOCUMENTS.items():
            rebuilt.rebuild(spec_for(name, demo), fn(session))
        for org_id in session.scalars(select(MakerProfile.organization_id)):
            record_change(session, documents.MAKERS, org_id)
        for req_id in session.scalars(select(Requirement.id)):
            record_change(session, documents.REQUIREMENTS, req_id)
        session.commit()
        assert drain(session, updated, demo) > 60
        for name in documents.DOCUMENTS:
            index = spec_for(name, demo).name
            a, b = sources(rebuilt, index), sources(updated, index)
            assert len(a) > 10 and a == b
