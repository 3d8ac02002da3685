"""The small denim cluster the Chromium journeys seed straight into a fresh database.

An association in Guadalajara with member makers, a cleared buyer ("Lone Star Denim") and a second buyer
no association cleared ("Pacific Boutique"), and users who sign in with one password. Each journey adds
what its story needs (profiles, requirements, earlier orders) on the returned records.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence


@dataclass
class Cluster:
    assoc: object
    makers: list
    buyer: object
    other_buyer: object
    users: dict = field(default_factory=dict)


def migrated_engine(url: str):
    """An engine on ``url`` after every migration (the schema gunicorn will serve)."""
    from matchmaker.cli import upgrade_database
    from matchmaker.db import make_engine

    upgrade_database(url)
    return make_engine(url)


def seed_cluster(sess, maker_names: Sequence[str]) -> Cluster:
    """The association, its member makers (in Guadalajara), the cleared buyer and the second buyer."""
    from matchmaker.organizations.records import Association, Membership, Organization
    from tests.support.vetting import clear_buyer

    assoc = Association(name="Jeans makers of Guadalajara", slug="jeans-gdl", sector="denim")
    makers = [Organization(kind="maker", name=n, city="Guadalajara", state="Jalisco", country="MX",
                           lat=20.67, lon=-103.35) for n in maker_names]
    buyer = Organization(kind="buyer", name="Lone Star Denim", country="US", city="Dallas", lat=32.78, lon=-96.8)
    other_buyer = Organization(kind="buyer", name="Pacific Boutique", country="US", city="Los Angeles")
    sess.add_all([assoc, *makers, buyer, other_buyer])
    sess.commit()
    sess.add_all([Membership(association_id=assoc.id, organization_id=m.id) for m in makers])
    sess.commit()
    clear_buyer(sess, buyer.id, assoc.id)
    return Cluster(assoc=assoc, makers=makers, buyer=buyer, other_buyer=other_buyer)


def add_users(sess, people: dict, domain: str, password: str) -> dict[str, int]:
    """``people``: name -> (role, organization id, association id, locale); each signs in as
    ``<name>@<domain>`` with ``password``. Returns name -> user id."""
    from matchmaker.auth import hash_password
    from matchmaker.accounts.records import User

    secret = hash_password(password)
    ids = {}
    for name, (role, org, association, lang) in people.items():
        user = User(email=f"{name}@{domain}", name=name, role=role, organization_id=org,
                    association_id=association, locale=lang, password_hash=secret)
        sess.add(user)
        sess.commit()
        ids[name] = user.id
    return ids
