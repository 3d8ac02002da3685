"""In Chromium, in Spanish: a buyer signs up, the link arrives at a real SMTP server (delivered by the
``flask notify send`` worker beside gunicorn), the buyer follows it, signs in and applies for vetting."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from playwright.sync_api import expect
from sqlalchemy.orm import Session

from tests.support.browser import require_chromium
from tests.support.live_server import REPO, SECRET_KEY, gunicorn

pytestmark = pytest.mark.browser

EMAIL = "ana@tiendaazul.example"
PASSWORD = "una contraseña bastante larga"


@pytest.fixture
def server(tmp_path):
    require_chromium()
    from matchmaker.cli import upgrade_database
    from matchmaker.db import make_engine
    from matchmaker.organizations.records import Association

    url = f"sqlite:///{tmp_path / 'matchmaker.db'}"
    upgrade_database(url)
    engine = make_engine(url)
    with Session(engine) as sess:
        sess.add(Association(name="Mezclilla de Guadalajara", slug="mezclilla-gdl", sector="denim"))
        sess.commit()
    engine.dispose()
    with gunicorn(url, workers=1, threads=1, root=tmp_path) as base:
        yield {"url": base, "database_url": url}


def _send_mail(server, smtp) -> str:
    """The outbox worker, run once as it runs beside gunicorn."""
    env = {**os.environ, "MATCHMAKER_DATABASE_URL": server["database_url"], "MATCHMAKER_SMTP_URL": smtp.url,
           "MATCHMAKER_SECRET_KEY": SECRET_KEY}
    env.pop("MATCHMAKER_DEMO", None)
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "matchmaker", "notify", "send", "--once"],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout.strip()


def test_sign_up_in_spanish_follow_the_emailed_link_sign_in_and_apply(chromium_browser, server, smtp):
    context = chromium_browser.new_context(base_url=server["url"], locale="es-MX")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto("/login")
    page.get_by_test_id("signup-link").click()
    expect(page.get_by_role("heading", name="Abrir una cuenta de comprador")).to_be_visible()

    form = page.get_by_test_id("signup-form")
    form.get_by_label("Nombre de la empresa").fill("Tienda Azul Boutique")
    form.get_by_label("Tipo de comprador").select_option("boutique")
    form.get_by_label("País").select_option(label="Colombia")
    form.get_by_label("Ciudad").fill("Medellín")
    form.get_by_label("Su nombre").fill("Ana Restrepo")
    form.get_by_label("Correo electrónico").fill(EMAIL)
    form.get_by_label("Contraseña (al menos 12 caracteres)").fill("corta")
    form.get_by_label("Idioma de los correos y las páginas").select_option("es")
    form.get_by_role("button", name="Abrir la cuenta").click()
    expect(page.locator('[data-field="password"]')).to_have_text("Escriba al menos 12 caracteres.")
    page.screenshot(path="/tmp/matchmaker-signup-form.png", full_page=True)

    page.get_by_label("Contraseña (al menos 12 caracteres)").fill(PASSWORD)
    page.get_by_role("button", name="Abrir la cuenta").click()
    expect(page.get_by_test_id("signup-sent")).to_contain_text(EMAIL)

    assert smtp.messages == []  # the request only queued it
    assert _send_mail(server, smtp) == "sent 1, failed 0"
    (mail,) = smtp.to(EMAIL)
    assert mail["subject"] == "Confirme su correo electrónico para Matchmaker"
    page.goto(smtp.link(EMAIL))
    expect(page.get_by_test_id("verified")).to_contain_text("Gracias, Ana Restrepo")
    page.get_by_test_id("sign-in-to-apply").click()

    page.get_by_label("Correo electrónico").fill(EMAIL)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Iniciar sesión").click()
    apply = page.get_by_test_id("apply-form")
    expect(apply).to_be_visible()
    expect(page.locator("h1")).to_contain_text("Tienda Azul Boutique")
    apply.get_by_label("Asociación").select_option(label="Mezclilla de Guadalajara")
    apply.get_by_role("button", name="Solicitar evaluación").click()
    expect(page.get_by_test_id("standings")).to_contain_text("En revisión")
    page.screenshot(path="/tmp/matchmaker-signup-vetting.png", full_page=True)
    context.close()
