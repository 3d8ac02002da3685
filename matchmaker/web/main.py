"""Landing, per-role home, language switch and health."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, session, url_for

from ..auth import current_actor
from ..taxonomy import LANGUAGES

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    return redirect(url_for("main.home" if current_actor() else "auth.login"))


@bp.get("/home")
def home():
    return render_template("home.html", user=current_actor())


@bp.post("/language")
def set_language():
    lang = request.form.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
    target = request.form.get("next") or "/"
    return redirect(target if target.startswith("/") and not target.startswith("//") else "/")


@bp.get("/health")
def health():
    from ..search.health import search_health
    return jsonify({"status": "ok", "search": search_health(current_app)})
