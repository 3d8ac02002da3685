"""Reading and writing buyers' profiles: the one path the API and the pages share.

Each write checks the version the client last read, runs in one transaction with the audit log row of
a user's edit (``organizations.services.audit_edit``) and either commits whole or not at all. Callers
pass validated pydantic objects from ``buyers.schemas``; permission checks stay in the views.
"""
from __future__ import annotations

from sqlalchemy.orm import Session

from ..db import changed_fields, check_version, commit, profile_fields
from ..errors import Conflict
from ..organizations.records import Organization
from ..organizations.services import audit_edit
from .records import BuyerProfile
from .schemas import BuyerProfileIn, BuyerProfilePut


def buyer_dict(profile: BuyerProfile) -> dict:
    org = profile.organization
    data = profile_fields(profile, BuyerProfileIn)
    data.update(organization_id=org.id, name=org.name, country=org.country, city=org.city,
                version=profile.version)
    return data


def create_buyer_profile(session: Session, org: Organization, data: BuyerProfileIn, actor=None) -> BuyerProfile:
    if org.kind not in {"buyer", "buying_agent"}:
        raise Conflict("organization {id} is a {kind}, not a buyer", params={"id": org.id, "kind": org.kind})
    if org.buyer_profile is not None:
        raise Conflict("organization {id} already has a buyer profile; update it instead", params={"id": org.id})
    profile = BuyerProfile(organization_id=org.id, **data.model_dump())
    session.add(profile)
    audit_edit(session, actor, org.id, "buyer_profile_created", data.model_dump(exclude_unset=True))
    commit(session)
    return profile


def replace_buyer_profile(session: Session, profile: BuyerProfile, data: BuyerProfilePut,
                          actor=None) -> BuyerProfile:
    check_version(profile, data.version)
    changes = data.model_dump(exclude={"version"})
    before = {key: getattr(profile, key) for key in changes}
    for key, value in changes.items():
        setattr(profile, key, value)
    audit_edit(session, actor, profile.organization_id, "buyer_profile_edited", changed_fields(before, changes))
    commit(session)
    return profile
