"""Admin and staff pages: model and index health, users, association memberships, pending work.

Who may open each page is the ``@allow`` beside its route; the association staff see and
change only their own association's memberships (:func:`_association_or_404`).
"""
from __future__ import annotations

import secrets
from datetime import date

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from sqlalchemy import func, or_, select

from .. import db, paging
from .. import taxonomy as tx
from ..auth import change_password, current_actor, hash_password, revoke_tokens
from ..forms import Problems
from ..i18n import gettext as _
from ..accounts.records import User
from ..makers.records import MakerProfile
from ..orders import buyer_lookup as lookup
from ..organizations.records import Association, Membership, Organization
from ..requirements.records import Requirement
from ..search.records import IndexOutbox, SyncState
from ..security import id_arg, small_int
from ..db import commit
from ..errors import Conflict
from . import model_health as mh
from .forms import ActionForm, MembershipForm, UserForm, problems_of
from ..access import allow, ADMIN, STAFF, is_admin
from .forms import MembershipRoleForm

bp = Blueprint("admin", __name__, url_prefix="/admin")
PER_PAGE = 25


@bp.app_context_processor
def _helpers():
    """``model_words(kind, version)`` for any page that names a model version (ranking, vetting)."""
    return {"model_words": mh.describe}


@bp.context_processor
def _org_kinds():
    """The firm kinds' names, which the user form's suggestions show beside each firm."""
    return {"org_kinds": [(t.code, t.label(_locale())) for t in tx.ORG_KINDS]}


# -- overview -------------------------------------------------------------------------------------

@bp.get("/")
@allow(ADMIN)
def index():
    return render_template("admin/index.html")


# -- model health ---------------------------------------------------------------------------------

@bp.get("/models")
@allow(ADMIN)
def models():
    return render_template("admin/models.html", ranker=mh.summary(mh.RANKER), screener=mh.summary(mh.SCREENER))


@bp.get("/models/<kind>/<version>/<name>")
@allow(ADMIN)
def model_plot(kind: str, version: str, name: str):
    path = mh.plot_path(kind, version, name)
    if path is None:
        abort(404)
    return send_file(path, mimetype="image/png", max_age=3600)


# -- index health ---------------------------------------------------------------------------------

def index_health() -> dict:
    from ..search.documents import SPECS
    from ..search.service import SearchUnavailable, run_search
    from indexing.contract import Query

    sess = db.session()
    pending = dict(sess.execute(select(IndexOutbox.index_name, func.count()).group_by(IndexOutbox.index_name)).all())
    total_pending = sum(pending.values())
    oldest = sess.scalar(select(func.min(IndexOutbox.created_at)))
    states = {s.index_name: s for s in sess.scalars(select(SyncState))}
    rows = []
    for name in SPECS:
        in_db = sess.scalar(select(func.count()).select_from(MakerProfile if name == "makers" else Requirement))
        try:
            in_index, error = run_search(name, Query(per_page=1)).total, None
        except SearchUnavailable as exc:
            in_index, error = None, str(exc)
        state = states.get(name) or next((s for k, s in states.items() if k.endswith(name)), None)
        rows.append({"name": name, "in_db": in_db, "in_index": in_index,
                     "error": error or (state.last_error if state else None),
                     "last_sync_at": state.last_sync_at if state else None, "pending": pending.get(name, 0)})
    return {"backend": "embedded" if current_app.config["SEARCH_URL"] == "embedded" else "elasticsearch",
            "pending": total_pending, "oldest_pending": oldest, "indices": rows}


@bp.get("/index")
@allow(ADMIN)
def index_page():
    return render_template("admin/index_health.html", h=index_health())


# -- users ----------------------------------------------------------------------------------------

def _assoc_choices():
    rows = db.session().execute(select(Association.id, Association.name).order_by(Association.name)).all()
    return [("", "—")] + [(str(i), n) for i, n in rows]


def _locale():
    from ..i18n import locale
    return locale()


def _int_or_none(raw) -> int | None:
    raw = (raw or "").strip()
    return small_int(raw)


@bp.get("/users")
@allow(ADMIN)
def users():
    sess = db.session()
    q = request.args.get("q", "").strip()[:100]
    role = request.args.get("role", "")
    stmt = select(User).order_by(User.email, User.id)
    if q:
        esc = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(or_(User.email.ilike(f"%{esc}%", escape="\\"), User.name.ilike(f"%{esc}%", escape="\\")))
    if role in tx.ROLES:
        stmt = stmt.where(User.role == role)
    total = sess.scalar(select(func.count()).select_from(stmt.subquery()))
    pages, page = paging.page_count(total, PER_PAGE), paging.page_arg()
    if (past := paging.to_last_page(page, pages)) is not None:
        return past
    rows = sess.scalars(stmt.limit(PER_PAGE).offset(paging.offset(page, PER_PAGE))).all()
    return render_template("admin/users.html", users=rows, page=page, pages=pages, total=total,
                           filters={"q": q, "role": role if role in tx.ROLES else ""}, action_form=ActionForm())


def _fill_choices(form: UserForm) -> None:
    form.association_id.choices = _assoc_choices()


@bp.get("/users/firms")
@allow(ADMIN)
def firm_suggestions():
    """The user form's organization field, as the admin types: firms of any kind matching ``q`` (JSON)."""
    return jsonify({"items": lookup.suggestions(db.session(), request.args.get("q", ""), kinds=None)})


def _named_firm(form: UserForm, problems: Problems) -> int | None:
    """The firm the form names: the id the suggestions filled in while the typed name still reads as that
    firm (or no name came with it); otherwise the typed name, which must resolve to one firm."""
    sess = db.session()
    raw, text = (form.organization_id.data or "").strip(), " ".join((form.organization_name.data or "").split())
    org_id = _int_or_none(raw)
    org = sess.get(Organization, org_id) if org_id is not None else None
    if raw and org is None and not text:
        problems.add("organization_id", _("Choose one of the listed values."))
        return None
    if org is not None and (not text or text.lower() in (org.name.lower(), lookup.label(org).lower())):
        return org.id
    if not text:
        return None
    found, candidates = lookup.resolve(sess, text, kinds=None)
    if found is not None:
        return found.id
    if not candidates:
        problems.add("organization_id", _("No firm is called “{name}”; check the spelling or type part of the name.",
                                          name=text[:100]))
    else:
        names = "; ".join(lookup.label(o) for o in candidates[:lookup.LIMIT])
        problems.add("organization_id", _("Several firms match “{name}”: {names}. Type the full name.",
                                          name=text[:100], names=names))
    return None


def _check_links(form: UserForm, problems: Problems) -> tuple[int | None, int | None]:
    """The organization and association chosen exist, and fit the role."""
    sess = db.session()
    if "organization_name" in problems.fields:  # too long a name: beside the field, as the firm's problem
        problems.fields["organization_id"] = problems.fields.pop("organization_name")
        org_id = None
    else:
        org_id = _named_firm(form, problems)
    assoc_id = _int_or_none(form.association_id.data)
    if form.association_id.data and (assoc_id is None or sess.get(Association, assoc_id) is None):
        problems.add("association_id", _("Choose one of the listed values."))
    role = form.role.data
    if role in {"maker_user", "buyer_user"} and org_id is None and "organization_id" not in problems.fields:
        problems.add("organization_id", _("A maker or buyer account needs its firm."))
    if role in {"board_member", "association_staff", "fair_organizer"} and assoc_id is None \
            and "association_id" not in problems.fields:
        problems.add("association_id", _("An association account needs its association."))
    return org_id, assoc_id


@bp.route("/users/new", methods=["GET", "POST"])
@allow(ADMIN)
def new_user():
    form = UserForm()
    _fill_choices(form)
    if request.method == "GET":
        return render_template("admin/user_form.html", form=form, problems=Problems(), user=None)
    problems = problems_of(form) if not form.validate() else Problems()
    org_id, assoc_id = _check_links(form, problems)
    email = (form.email.data or "").strip().lower()
    sess = db.session()
    if not problems and sess.scalar(select(User.id).where(User.email == email)) is not None:
        problems.add("email", _("A user with this email already exists."))
    if problems:
        return render_template("admin/user_form.html", form=form, problems=problems, user=None), 422
    password = secrets.token_urlsafe(9)
    user = User(email=email, name=form.name.data.strip(), role=form.role.data, organization_id=org_id,
                association_id=assoc_id, active=bool(form.active.data), password_hash=hash_password(password),
                locale=_locale())
    sess.add(user)
    try:
        commit(sess)
    except Conflict:
        sess.rollback()
        problems.add("email", _("A user with this email already exists."))
        return render_template("admin/user_form.html", form=form, problems=problems, user=None), 409
    return render_template("admin/password.html", user=user, password=password, created=True), 201


def _user_or_404(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@allow(ADMIN)
def edit_user(user_id: int):
    user = _user_or_404(user_id)
    form = UserForm(obj=user) if request.method == "GET" else UserForm()
    _fill_choices(form)
    if request.method == "GET":
        form.organization_id.data = str(user.organization_id or "")
        org = db.session().get(Organization, user.organization_id) if user.organization_id else None
        form.organization_name.data = lookup.label(org) if org is not None else ""
        form.association_id.data = str(user.association_id or "")
        return render_template("admin/user_form.html", form=form, problems=Problems(), user=user,
                               action_form=ActionForm())
    problems = problems_of(form) if not form.validate() else Problems()
    org_id, assoc_id = _check_links(form, problems)
    email = (form.email.data or "").strip().lower()
    sess = db.session()
    if not problems and sess.scalar(select(User.id).where(User.email == email, User.id != user.id)) is not None:
        problems.add("email", _("A user with this email already exists."))
    me = current_actor()
    if user.id == me.id and (not form.active.data or form.role.data != user.role):
        problems.add("active" if not form.active.data else "role",
                     _("You cannot disable your own account or change your own role."))
    if problems:
        return render_template("admin/user_form.html", form=form, problems=problems, user=user,
                               action_form=ActionForm()), 422
    user.email, user.name, user.role = email, form.name.data.strip(), form.role.data
    user.organization_id, user.association_id, user.active = org_id, assoc_id, bool(form.active.data)
    commit(sess)
    flash(_("Saved."), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
@allow(ADMIN)
def reset_password(user_id: int):
    """Set a temporary password, shown once on the answer page (never sent through the session).

    An admin resets a password because it leaked or was forgotten: every other page session of the
    account ends and every API token of it is revoked (tokens are minted with the password)."""
    user = _user_or_404(user_id)
    if not ActionForm().validate():
        abort(400)
    password = secrets.token_urlsafe(9)
    change_password(user, password, keep_this_session=True)  # every other page session of the account ends
    revoke_tokens(db.session(), user.id)
    commit(db.session())
    return render_template("admin/password.html", user=user, password=password, created=False)


@bp.post("/users/<int:user_id>/active")
@allow(ADMIN)
def toggle_active(user_id: int):
    user = _user_or_404(user_id)
    if not ActionForm().validate():
        abort(400)
    if user.id == current_actor().id:
        flash(_("You cannot disable your own account or change your own role."), "error")
    else:
        user.active = not user.active
        commit(db.session())
        flash(_("The account is enabled.") if user.active else _("The account is disabled: it can no longer sign in."),
              "success")
    return redirect(url_for("admin.users", page=request.args.get("page", 1)))


# -- association memberships ----------------------------------------------------------------------

def _association_or_404(assoc_id: int) -> Association:
    assoc = db.session().get(Association, assoc_id)
    actor = current_actor()
    if assoc is None or not (is_admin(actor) or actor.association_id == assoc_id):
        abort(404)
    return assoc


@bp.get("/associations")
@allow(STAFF)
def associations():
    sess = db.session()
    actor = current_actor()
    if not is_admin(actor):
        if actor.association_id is None:
            abort(403)
        return redirect(url_for("admin.memberships", assoc_id=actor.association_id))
    members = (select(func.count()).where(Membership.association_id == Association.id)
               .correlate(Association).scalar_subquery())
    rows = sess.execute(select(Association, members).order_by(Association.name)).all()
    return render_template("admin/associations.html", rows=rows)


def _member_org_choices(assoc: Association):
    sess = db.session()
    taken = select(Membership.organization_id).where(Membership.association_id == assoc.id)
    rows = sess.execute(select(Organization.id, Organization.name).where(
        Organization.kind == "maker", Organization.id.not_in(taken)).order_by(Organization.name)).all()
    return [("", "—")] + [(str(i), n) for i, n in rows]


def _render_memberships(assoc, form=None, problems=None, code=200):
    sess = db.session()
    rows = sess.execute(select(Membership, Organization)
                        .join(Organization, Membership.organization_id == Organization.id)
                        .where(Membership.association_id == assoc.id).order_by(Organization.name)).all()
    if form is None:
        form = MembershipForm()
        form.organization_id.choices = _member_org_choices(assoc)
    return render_template("admin/memberships.html", association=assoc, rows=rows, form=form,
                           problems=problems or Problems(), action_form=ActionForm()), code


@bp.get("/associations/<int:assoc_id>/members")
@allow(STAFF)
def memberships(assoc_id: int):
    return _render_memberships(_association_or_404(assoc_id))


@bp.post("/associations/<int:assoc_id>/members")
@allow(STAFF)
def add_membership(assoc_id: int):
    assoc = _association_or_404(assoc_id)
    form = MembershipForm()
    form.organization_id.choices = _member_org_choices(assoc)
    problems = problems_of(form) if not form.validate() else Problems()
    sess = db.session()
    org_id = _int_or_none(form.organization_id.data)
    org = sess.get(Organization, org_id) if org_id else None
    if "organization_id" not in problems.fields and (org is None or org.kind != "maker"):
        problems.add("organization_id", _("Choose one of the listed values."))
    elif org is not None and sess.scalar(select(Membership.id).where(
            Membership.association_id == assoc.id, Membership.organization_id == org.id)) is not None:
        problems.add("organization_id", _("This firm is already a member."))
    if problems:
        return _render_memberships(assoc, form, problems, 422)
    since = date.fromisoformat(form.since.data) if form.since.data else None
    sess.add(Membership(association_id=assoc.id, organization_id=org.id, role=form.role.data, since=since))
    try:
        commit(sess)
    except Conflict:
        sess.rollback()
        problems.add("organization_id", _("This firm is already a member."))
        return _render_memberships(assoc, form, problems, 409)
    flash(_("{firm} is now a member.", firm=org.name), "success")
    return redirect(url_for("admin.memberships", assoc_id=assoc.id))


def _membership_or_404(assoc: Association, membership_id: int) -> Membership:
    row = db.session().get(Membership, membership_id)
    if row is None or row.association_id != assoc.id:
        abort(404)
    return row


@bp.post("/associations/<int:assoc_id>/members/<int:membership_id>/role")
@allow(STAFF)
def membership_role(assoc_id: int, membership_id: int):
    assoc = _association_or_404(assoc_id)
    row = _membership_or_404(assoc, membership_id)
    form = MembershipRoleForm()
    if not form.validate():
        abort(400)
    role = (form.role.data or "").strip()
    if role not in tx.MEMBERSHIP_ROLES:
        flash(_("Choose one of the listed values."), "error")
    else:
        row.role = role
        commit(db.session())
        flash(_("Saved."), "success")
    return redirect(url_for("admin.memberships", assoc_id=assoc.id))


@bp.post("/associations/<int:assoc_id>/members/<int:membership_id>/remove")
@allow(STAFF)
def remove_membership(assoc_id: int, membership_id: int):
    assoc = _association_or_404(assoc_id)
    row = _membership_or_404(assoc, membership_id)
    if not ActionForm().validate():
        abort(400)
    sess = db.session()
    sess.delete(row)
    commit(sess)
    flash(_("The firm is no longer a member."), "success")
    return redirect(url_for("admin.memberships", assoc_id=assoc.id))


# -- staff: pending work --------------------------------------------------------------------------

@bp.get("/pending", endpoint="staff")
@allow(STAFF)
def staff_dashboard():
    from ..vetting import views as vv
    from ..vetting.records import Incident, Reply, VettingCase
    from ..vetting.screening import incident_scope

    actor = current_actor()
    sess = db.session()
    assoc_id = actor.association_id
    if is_admin(actor):
        assoc_id = request.args.get("association_id", type=id_arg) or sess.scalar(
            select(Association.id).order_by(Association.id))
    if assoc_id is None:
        abort(403)
    assoc = sess.get(Association, assoc_id)
    cases = vv.queue(sess, assoc_id, "open")
    disputed = sess.execute(select(Incident, Organization.name)
                            .join(Organization, Organization.id == Incident.subject_id)
                            .where(Incident.association_id == assoc_id, Incident.status == "disputed")
                            .order_by(Incident.status_changed_at.desc(), Incident.id.desc()).limit(100)).all()
    subjects = select(VettingCase.subject_id).where(VettingCase.association_id == assoc_id)
    case_of = {c.subject_id: c.id for c, _o, _n in cases}
    # as vetting.replies.visible_replies: general replies, and those about the incidents this association sees
    # (never the answer to another association's incident, which would tell its story)
    seen = select(Incident.id).where(incident_scope(sess, assoc_id))
    replies = sess.execute(select(Reply, Organization.name).join(Organization, Organization.id == Reply.subject_id)
                           .where(Reply.subject_id.in_(subjects),
                                  Reply.incident_id.is_(None) | Reply.incident_id.in_(seen))
                           .order_by(Reply.created_at.desc(), Reply.id.desc()).limit(30)).all()
    return render_template("admin/staff.html", association=assoc, cases=cases, disputed=disputed, replies=replies,
                           case_of=case_of)
