"""The makers API: create, read, update and list a maker's profile with validation, versions and permissions."""
from __future__ import annotations

import threading

import pytest
from matchmaker.errors import Conflict

from tests.support.api_bodies import MAKER


@pytest.fixture
def maker(factory):
    org = factory.org("maker", "Confecciones Altos")
    user = factory.user("maker_user", org)
    return org, factory.token(user)


def test_maker_creates_reads_updates_and_lists_its_profile(client, maker):
    org, headers = maker
    created = client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["processes"] == ["cutting", "laundry", "sewing"]
    assert created.json["size_band"] == "micro" and created.json["version"] == 1

    updated = client.put(f"/api/v1/makers/{org}", headers=headers,
                         json={**MAKER, "monthly_capacity": 6000, "processes": ["sewing"], "version": 1})
    assert updated.status_code == 200, updated.json
    assert updated.json["monthly_capacity"] == 6000 and updated.json["processes"] == ["sewing"]
    assert updated.json["version"] == 2

    listed = client.get("/api/v1/makers?process=sewing&min_capacity=5000", headers=headers)
    assert listed.json["total"] == 1 and listed.json["items"][0]["organization_id"] == org
    assert client.get("/api/v1/makers?process=laundry", headers=headers).json["total"] == 0


def test_stale_version_is_a_conflict_and_changes_nothing(client, maker):
    org, headers = maker
    client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=headers)
    first = client.put(f"/api/v1/makers/{org}", json={**MAKER, "monthly_capacity": 5000, "version": 1},
                       headers=headers)
    second = client.put(f"/api/v1/makers/{org}", json={**MAKER, "monthly_capacity": 9000, "version": 1},
                        headers=headers)
    assert first.status_code == 200
    assert second.status_code == 409 and second.json["error"]["code"] == "conflict"
    assert client.get(f"/api/v1/makers/{org}", headers=headers).json["monthly_capacity"] == 5000
    spanish = client.put(f"/api/v1/makers/{org}", json={**MAKER, "version": 1},
                         headers={**headers, "Accept-Language": "es"})
    assert spanish.status_code == 409 and spanish.json["error"]["code"] == "conflict"
    assert spanish.json["error"]["message"] == "la versión 1 está desactualizada; la versión actual es 2"


def test_concurrent_edits_of_one_profile_never_lose_an_update(app, client, maker):
    """Many writers holding the same version: exactly one wins, the rest get 409."""
    org, headers = maker
    client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=headers)
    results = []

    def edit(capacity):
        with app.test_client() as c:
            r = c.put(f"/api/v1/makers/{org}", json={**MAKER, "monthly_capacity": capacity, "version": 1},
                      headers=headers)
            results.append((r.status_code, capacity))

    threads = [threading.Thread(target=edit, args=(5000 + i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [cap for status, cap in results if status == 200]
    assert len(winners) == 1, results
    assert {status for status, _ in results} <= {200, 409}
    final = client.get(f"/api/v1/makers/{org}", headers=headers).json
    assert final["monthly_capacity"] == winners[0] and final["version"] == 2


def test_race_between_two_sessions_is_caught_by_the_version_column(app, maker, client):
    """Both sessions read version 1 before either writes: the second commit is refused."""
    from matchmaker.db import commit
    from matchmaker.makers.services import replace_maker_profile
    from matchmaker.makers.schemas import MakerProfilePut
    from matchmaker.makers.records import MakerProfile

    org, headers = maker
    client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=headers)
    maker_factory = app.extensions["matchmaker.sessionmaker"]
    with maker_factory() as s1, maker_factory() as s2:
        p1, p2 = s1.get(MakerProfile, org), s2.get(MakerProfile, org)
        replace_maker_profile(s1, p1, MakerProfilePut(**{**MAKER, "monthly_capacity": 100, "version": 1}))
        with pytest.raises(Conflict):
            p2.monthly_capacity = 200  # bypass the early check: the UPDATE's version guard must catch it
            p2.updated_at = p2.updated_at
            commit(s2)
    assert client.get(f"/api/v1/makers/{org}", headers=headers).json["monthly_capacity"] == 100


def test_a_maker_cannot_edit_another_makers_profile(client, factory, maker):
    org, headers = maker
    client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=headers)
    other = factory.org("maker")
    other_headers = factory.token(factory.user("maker_user", other))
    r = client.put(f"/api/v1/makers/{org}", json={**MAKER, "version": 1}, headers=other_headers)
    assert r.status_code == 403
    r = client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=other_headers)
    assert r.status_code == 403


def test_list_and_single_read_give_the_same_public_profile(client, maker):
    """Lists and search hydrate many profiles with plain rows; the shape must equal the single read."""
    org, headers = maker
    client.post(f"/api/v1/organizations/{org}/maker-profile", json=MAKER, headers=headers)
    single = client.get(f"/api/v1/makers/{org}", headers=headers).json
    listed = client.get("/api/v1/makers", headers=headers).json["items"]
    assert listed == [single]
