"""Landing, per-role home, language switch and health."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, current_app, jsonify, redirect, render_template, session, url_for
from sqlalchemy import func, select

from .. import db
from .. import access
from .. import permissions as perm
from .. import taxonomy as tx
from ..accounts.records import User
from ..auth import current_actor
from ..db import count
from ..i18n import FILTERS, locale
from ..makers.records import MakerProfile
from ..makers.services import maker_dict
from ..organizations.records import Association, Membership, Organization
from ..requirements.records import Requirement
from ..taxonomy import LANGUAGES
from ..access import allow, ASSOCIATION, PUBLIC, SIGNED_IN
from .forms import LanguageForm
from ..security import local_path


bp = Blueprint("main", __name__)
for _name, _filter in FILTERS.items():  # {{ n|number }}, {{ d|date }}: the reader's locale, through Babel
    bp.add_app_template_filter(_filter, _name)


@bp.app_context_processor
def _page_helpers():
    """Taxonomy labels in the user's language for every template: ``label('process', code)``."""
    vocabularies = {vocab.name: vocab for vocab in vars(tx).values() if isinstance(vocab, tx.Vocabulary)}

    def label(vocab_name: str, code) -> str:
        if code is None:
            return "—"
        return vocabularies[vocab_name].label(code, locale())

    return {"label": label, "tx": tx, "perm": perm, "access": access, "today": date.today()}


@bp.get("/")
@allow(PUBLIC)
def index():
    return redirect(url_for("main.home" if current_actor() else "auth.login"))


@bp.get("/home")
@allow(SIGNED_IN)
def home():
    user = current_actor()
    sess = db.session()
    context: dict = {"user": user}
    if user.role == "buyer_user":
        context["requirements"] = sess.scalars(
            select(Requirement).where(Requirement.buyer_id == user.organization_id)
            .order_by(Requirement.created_at.desc(), Requirement.id.desc()).limit(20)).all()
    elif user.role == "maker_user":
        org = sess.get(Organization, user.organization_id) if user.organization_id else None
        context["org"] = org
        context["profile"] = maker_dict(org.maker_profile, org) if org and org.maker_profile else None
        visible = select(Requirement).where(perm.visible_requirement_filter(user), Requirement.status == "open")
        context["open_count"] = count(sess, visible)
        context["open_requirements"] = sess.scalars(
            visible.order_by(Requirement.created_at.desc(), Requirement.id.desc()).limit(10)).all()
    elif user.role in ASSOCIATION:
        assoc = user.association
        context["association"] = assoc
        context["members"] = sess.execute(
            select(Membership, Organization).join(Organization, Membership.organization_id == Organization.id)
            .where(Membership.association_id == assoc.id).order_by(Organization.name)).all() if assoc else []
    elif user.role == "platform_admin":
        context["kind_counts"] = dict(sess.execute(
            select(Organization.kind, func.count()).group_by(Organization.kind)).all())
        context["status_counts"] = dict(sess.execute(
            select(Requirement.status, func.count()).group_by(Requirement.status)).all())
        context["user_count"] = sess.scalar(select(func.count()).select_from(User))
        context["maker_profile_count"] = sess.scalar(select(func.count()).select_from(MakerProfile))
        members = (select(func.count()).where(Membership.association_id == Association.id)
                   .correlate(Association).scalar_subquery())
        context["associations"] = sess.execute(select(Association, members).order_by(Association.name)).all()
    return render_template("home/home.html", **context)


@bp.post("/language")
@allow(PUBLIC)
def set_language():
    form = LanguageForm()
    lang = form.lang.data
    if lang in LANGUAGES:
        session["lang"] = lang
    target = form.next.data or "/"
    return redirect(local_path(target, "/"))


@bp.get("/favicon.ico")
@allow(PUBLIC)
def favicon():
    """Browsers ask for /favicon.ico on every page whatever the <link> says: the vendored icon."""
    return current_app.send_static_file("favicon.ico")


@bp.get("/health")
@allow(PUBLIC)
def health():
    from ..search.health import search_health
    return jsonify({"status": "ok", "search": search_health(current_app)})
