"""The consortia pages end to end, in Spanish and English: the coordinator builds teams, reads
why each maker was picked, locks a stage and sends one team; a member confirms its part; the
buyer reads the offer with its stage plan. Bad input answers 4xx with a message, never a 500."""
from __future__ import annotations

import re

import pytest

from matchmaker import jobs
from matchmaker.consortia.records import Proposal
from matchmaker import db
from tests.support.world import login_as, post_form, set_language


def _wait_for_jobs(app):
    with app.app_context():
        for job in db.session().scalars(__import__("sqlalchemy").select(jobs.Job)).all():
            jobs.wait(job.id, timeout=60)


def _proposal_id(app, world) -> int:
    with app.app_context():
        return db.session().query(Proposal.id).filter_by(requirement_id=world.req).scalar()


def test_a_coordinator_builds_locks_and_sends_a_team_in_spanish(app, client, factory, world):
    w = world
    login_as(client, factory, w.users["coordinator"])
    set_language(client, "es")
    page = client.get("/consortia/")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Requerimientos para atender en equipo" in html
    assert "Corte → Costura / ensamble → Lavandería / lavado → Acabado (planchado, avíos)" in html
    r = post_form(client, f"/consortia/requirements/{w.req}/propose", {}, token_page="/consortia/")
    assert r.status_code == 302
    pid = _proposal_id(app, w)
    _wait_for_jobs(app)
    html = client.get(f"/consortia/proposals/{pid}").get_data(as_text=True)
    assert "Equipo 1" in html and "Equipo 3" in html and "Cota" in html and "Brecha" in html
    assert "Las 5,000 unidades se reparten entre 2 fabricantes." in html  # sewing needs both shops
    assert "<svg" in html and "Plan por etapas" in html and "style=" not in html.split("<main")[1]
    # a stage that is not one of the requirement's is refused with a message, nothing written
    with app.app_context():
        version = db.session().get(Proposal, pid).version
    bad = post_form(client, f"/consortia/proposals/{pid}/lock/embroidery", {"version": version, "alternative": 0},
                    token_page=f"/consortia/proposals/{pid}")
    assert bad.status_code == 422 and "no es una etapa de este requerimiento." in bad.get_data(as_text=True)
    nonsense = post_form(client, f"/consortia/proposals/{pid}/lock/cutting", {"version": "x", "alternative": "9"},
                         token_page=f"/consortia/proposals/{pid}")
    assert nonsense.status_code == 422
    ok = post_form(client, f"/consortia/proposals/{pid}/lock/cutting", {"version": version, "alternative": 0},
                   token_page=f"/consortia/proposals/{pid}")
    assert ok.status_code == 302
    _wait_for_jobs(app)
    html = client.get(f"/consortia/proposals/{pid}").get_data(as_text=True)
    assert "fijada" in html and "Usted fijó esta etapa." in html
    with app.app_context():
        version = db.session().get(Proposal, pid).version
    stale = post_form(client, f"/consortia/proposals/{pid}/send", {"version": version - 1, "chosen": 0},
                      token_page=f"/consortia/proposals/{pid}")
    assert stale.status_code == 409
    sent = post_form(client, f"/consortia/proposals/{pid}/send", {"version": version, "chosen": 0},
                     token_page=f"/consortia/proposals/{pid}")
    assert sent.status_code == 302
    assert "Enviada al comprador" in client.get(f"/consortia/proposals/{pid}").get_data(as_text=True)


def test_a_member_confirms_its_part_and_the_buyer_reads_the_offer(app, client, factory, world):
    w = world
    r = client.post(f"/api/v1/consortia/requirements/{w.req}/proposal", headers=w.h("coordinator"))
    with app.app_context():
        jobs.wait(r.json["job"]["id"], timeout=60)
    p = client.get(f"/api/v1/consortia/proposals/{r.json['proposal']['id']}", headers=w.h("coordinator")).json
    client.post(f"/api/v1/consortia/proposals/{p['id']}/send", json={"chosen": 0, "version": p["version"]},
                headers=w.h("coordinator"))
    login_as(client, factory, w.users["Lavados Altos"])
    html = client.get("/consortia/").get_data(as_text=True)
    assert "Stretch jeans, full package" in html and "Maestro Coordina" in html
    part_id = int(re.search(r'/consortia/parts/(\d+)/answer', html).group(1))
    too_many = post_form(client, f"/consortia/parts/{part_id}/answer", {"units": "999999"}, token_page="/consortia/")
    assert too_many.status_code == 302
    assert "Between 1 and 5,000 units." in client.get("/consortia/").get_data(as_text=True)
    ok = post_form(client, f"/consortia/parts/{part_id}/answer", {"units": "5000"}, token_page="/consortia/")
    assert ok.status_code == 302
    assert "confirmed" in client.get("/consortia/").get_data(as_text=True)
    client.get("/logout")
    login_as(client, factory, w.users["buyer"])
    offer = client.get(f"/consortia/offers/{p['id']}")
    html = offer.get_data(as_text=True)
    assert offer.status_code == 200 and "Offer from Maestro Coordina" in html and "<svg" in html
    assert "Lavados Altos" in html and "confirmed" in html
    login_as(client, factory, w.users["other_buyer"])
    assert client.get(f"/consortia/offers/{p['id']}").status_code == 404


@pytest.mark.parametrize("lang, total, page_of", [("en", "32 requirements", "Page {} of 2"),
                                                  ("es", "32 requerimientos", "Página {} de 2")])
def test_the_requirements_to_serve_are_paged_thirty_a_page(app, client, factory, world, lang, total, page_of):
    """/consortia/ reads one page of 30 (the SQL keeps only requirements of two stages or more, as
    ``requirement_stages`` does), with the shared pager; a page past the last redirects to the last."""
    from matchmaker.consortia.problem import requirement_stages
    from matchmaker.requirements.records import Requirement
    from matchmaker.requirements.schemas import RequirementIn
    from matchmaker.requirements.services import create_requirement
    from tests.consortia.conftest import REQUIREMENT

    w = world
    with app.app_context():
        sess = db.session()
        for i in range(31):
            create_requirement(sess, w.buyer, w.users["buyer"], RequirementIn(
                **dict(REQUIREMENT, title=f"Two stages {i:02d}", processes=["sewing", "cutting"])))
        for i in range(3):
            create_requirement(sess, w.buyer, w.users["buyer"], RequirementIn(
                **dict(REQUIREMENT, title=f"One stage {i}", processes=["sewing"])))
        sess.commit()
        expected = {r.title for r in sess.query(Requirement).filter_by(buyer_id=w.buyer, status="open")
                    if len(requirement_stages(r)) >= 2}
    assert len(expected) == 32
    login_as(client, factory, w.users["coordinator"])
    set_language(client, lang)
    first = client.get("/consortia/").get_data(as_text=True)
    second = client.get("/consortia/?page=2").get_data(as_text=True)
    assert total in first and page_of.format(1) in first and page_of.format(2) in second
    assert first.count('data-testid="build-teams"') == 30 and second.count('data-testid="build-teams"') == 2
    titles = set(re.findall(r"<td>((?:Two stages \d\d)|(?:One stage \d)|(?:Stretch jeans, full package))</td>",
                            first + second))
    assert titles == expected and not any(t.startswith("One stage") for t in titles)
    assert 'href="/consortia/?page=2" data-testid="last-page"' in first
    past = client.get("/consortia/?page=7")
    assert past.status_code == 302 and past.headers["Location"] == "/consortia/?page=2"
    assert client.get("/consortia/?page=-1").status_code == 200
