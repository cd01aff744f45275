"""Languages: the switcher, remembered per person (on the account) and per browser (cookie); Spanish
pages; dates, numbers and money per locale; processes and projects with texts in several languages."""

from datetime import UTC, datetime

import pytest
from flask_babel import force_locale

from app.auth.models import Role, User
from app.extensions import db
from app.processes import services
from app.processes.models import District, OutcomeRule, Phase, Process, Project
from app.processes.phase_changes import change_phase
from app.results import services as results
from app.templating import format_money
from tests.factories_results import BUDGET, COSTS, VOTES

SPANISH = {"es": {"title": "Presupuesto de Prueba", "summary": "Resumen en español"}}


def _load(app, model, pk):
    with app.app_context():
        return db.session.get(model, pk)


def _switch(client, lang: str, next_path: str = "/"):
    return client.post("/language", data={"lang": lang, "next": next_path})


def test_an_anonymous_visitor_switches_to_spanish_and_the_cookie_remembers_it(app, client):
    assert "How it works" in client.get("/").text
    resp = _switch(client, "es", "/processes")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/processes")
    cookie = client.get_cookie("lang")
    assert cookie is not None and cookie.value == "es" and cookie.http_only
    home = client.get("/").text
    assert '<html lang="es">' in home and "Cómo funciona" in home and "Iniciar sesión" in home
    assert "How it works" not in home
    # A new visit from the same browser: only the cookie is left.
    fresh = app.test_client()
    fresh.set_cookie("lang", "es")
    assert "Cómo funciona" in fresh.get("/").text
    assert "How it works" in app.test_client().get("/").text  # another browser is not affected


def test_the_browser_language_is_used_until_someone_chooses(client):
    assert "Cómo funciona" in client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).text
    _switch(client, "en")
    assert "How it works" in client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9"}).text


def test_an_unknown_language_is_refused(client):
    assert _switch(client, "xx").status_code == 400
    assert client.get_cookie("lang") is None


def test_a_signed_in_persons_choice_is_saved_on_their_account(app, login):
    client, user = login(Role.RESIDENT)
    _switch(client, "es")
    assert _load(app, User, user.id).locale == "es"
    # Another device, signed in as the same person, with an English browser and no cookie.
    other = app.test_client(user=_load(app, User, user.id))
    page = other.get("/", headers={"Accept-Language": "en"}).text
    assert "Cómo funciona" in page and "Cerrar sesión" in page
    # The saved choice wins over a cookie left from before.
    other.set_cookie("lang", "en")
    assert "Cómo funciona" in other.get("/").text


def test_the_account_page_offers_each_language_named_in_itself(login):
    client, _user = login(Role.RESIDENT, locale="es")
    page = client.get("/account").text
    assert "Idioma" in page and ">English<" in page and ">Español<" in page


def test_proposals_and_a_proposal_in_spanish(client, make_process, make_proposal):
    process = make_process(Phase.PROPOSALS)
    proposal = make_proposal(process, title="Benches along the river")
    _switch(client, "es")
    listing = client.get(f"/processes/{process.slug}/proposals").text
    assert "Propuestas" in listing and "Buscar y filtrar" in listing and "Benches along the river" in listing
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Publicada" in page and "Inicie sesión para apoyarla" in page


def test_the_ballot_in_spanish_with_spanish_money(login, make_vote):
    from app.processes.models import BallotType

    vote = make_vote(BallotType.KNAPSACK)
    client, _user = login(Role.RESIDENT, locale="es")
    page = client.get(vote.url()).text
    assert "Su papeleta" in page and "Proyectos en" in page
    assert "Quedan 100.000\xa0€ de 100.000\xa0€" in page  # the budget bar, as drawn by the server
    a, b, c = vote.ids()
    review = client.post(vote.url("review"), data={"p": [a, b, c]})
    assert "es decir, 20.000\xa0€ más que el presupuesto de 100.000\xa0€" in review.text
    assert "Revise su papeleta" in review.text


def test_results_in_spanish(app, client, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.MES_ADD1)
    with app.test_request_context():
        process = db.session.get(Process, election.process.id)
        results.count_process(process, None)
        results.publish(process, None)
        db.session.commit()
    _switch(client, "es")
    page = client.get(f"/processes/{election.slug}/results").text
    assert "Método de Partes Iguales" in page and "Financiado" in page and "No financiado" in page
    assert "6 votantes" in page and "Compruebe usted mismo el recuento" in page
    assert "%" in page and "\xa0%" in page  # Spanish puts a (no-break) space before the percent sign


def test_an_error_page_in_spanish(client):
    _switch(client, "es")
    resp = client.get("/no-such-page")
    assert resp.status_code == 404 and "Página no encontrada" in resp.text


def test_form_errors_from_wtforms_are_spanish_too(client):
    _switch(client, "es")
    page = client.post("/register", data={"email": "", "password": "x"}).text
    assert "Escriba su dirección de correo electrónico." in page


# Dates, numbers and money per locale.


@pytest.mark.parametrize(
    ("locale", "money", "whole", "number", "percent", "date"),
    [
        ("en", "€1,234.56", "€12,500", "1,234,567.5", "46%", "March 1, 2027"),
        ("es", "1.234,56\xa0€", "12.500\xa0€", "1.234.567,5", "46\xa0%", "1 de marzo de 2027"),
    ],
)
def test_dates_numbers_and_money_follow_the_locale(app, locale, money, whole, number, percent, date):
    env = app.jinja_env
    with app.test_request_context(), force_locale(locale):
        assert format_money(123456) == money
        assert format_money(1_250_000) == whole
        assert env.from_string("{{ v | number }}").render(v=1234567.5) == number
        assert env.from_string("{{ v | percent }}").render(v=0.456) == percent
        assert (
            env.from_string("{{ v | date('long') }}").render(v=datetime(2027, 3, 1, 12, tzinfo=UTC)) == date
        )
        if locale == "es":
            assert format_money(123456789) == "1.234.567,89\xa0€"
            when = env.from_string("{{ v | city_time('long') }}").render(
                v=datetime(2027, 7, 9, 8, tzinfo=UTC)
            )
            assert "9 de julio de 2027" in when


# Processes and projects with texts in several languages.


def test_a_translated_process_and_project_show_in_the_readers_language(client, make_process, make_project):
    process = make_process(Phase.VOTING, translations=SPANISH)
    make_project(
        process,
        title="Benches",
        summary="Ten new benches",
        translations={"es": {"title": "Bancos", "summary": "Diez bancos nuevos"}},
    )
    make_project(process, title="Lights")  # not translated: shows its base text in Spanish too
    english = client.get(f"/processes/{process.slug}").text
    assert process.title in english and "Presupuesto de Prueba" not in english
    _switch(client, "es")
    page = client.get(f"/processes/{process.slug}").text
    assert "Presupuesto de Prueba" in page and "Resumen en español" in page
    listing = client.get("/processes").text
    assert "Presupuesto de Prueba" in listing
    district = process.budgets[0].district.slug
    ballot = client.get(f"/processes/{process.slug}/ballot/{district}").text
    assert "Bancos" in ballot and "Diez bancos nuevos" in ballot and "Lights" in ballot
    assert "Benches" not in ballot


def test_results_use_the_translated_project_titles(app, client, make_election):
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    with app.app_context():
        project = db.session.get(Project, election.projects["A"].id)
        project.translations = {"es": {"title": "Proyecto A en español"}}
        db.session.commit()
    with app.test_request_context():
        process = db.session.get(Process, election.process.id)
        results.count_process(process, None)
        results.publish(process, None)
        db.session.commit()
    assert "Proyecto A en español" not in client.get(f"/processes/{election.slug}/results").text
    _switch(client, "es")
    page = client.get(f"/processes/{election.slug}/results").text
    assert "Proyecto A en español" in page and "Project B" in page


def _process_form(process, **extra) -> dict:
    data = {
        "title": process.title,
        "slug": process.slug,
        "summary": "",
        "description": "",
        "currency": "EUR",
        "ballot_type": "approval",
        "rule": "greedy",
        "min_choices": "1",
        "allow_accounts": "y",
        f"budget_{process.budgets[0].district_id}": "100000",
    }
    data.update(extra)
    return data


def test_an_admin_gives_a_process_spanish_texts(app, login, make_process):
    process = make_process(Phase.DRAFT)
    client, _admin = login(Role.ADMIN)
    form = client.get(f"/admin/processes/{process.id}/edit").text
    assert "Texts in Spanish" in form and 'name="title_es"' in form and 'lang="es"' in form
    resp = client.post(
        f"/admin/processes/{process.id}/edit",
        data=_process_form(
            process,
            title_es="  Presupuesto 2027  ",
            summary_es="Proponga sus ideas",
            description_es="**Hola**<script>alert(1)</script>",
        ),
    )
    assert resp.status_code == 302
    saved = _load(app, Process, process.id)
    assert saved.translations == {
        "es": {
            "title": "Presupuesto 2027",
            "summary": "Proponga sus ideas",
            "description": "**Hola**<script>alert(1)</script>",
        }
    }
    # The form shows the saved texts again, and the description is sanitised on the public page.
    assert "Presupuesto 2027" in client.get(f"/admin/processes/{process.id}/edit").text
    client.post(f"/admin/processes/{process.id}/phase", data={"phase": "proposals"})
    _switch(client, "es")
    page = client.get(f"/processes/{process.slug}").text
    assert "<strong>Hola</strong>" in page and "<script>alert(1)" not in page


def test_a_too_long_translated_title_is_refused_at_its_field(app, login, make_process):
    process = make_process(Phase.DRAFT)
    client, _admin = login(Role.ADMIN)
    resp = client.post(f"/admin/processes/{process.id}/edit", data=_process_form(process, title_es="x" * 161))
    assert resp.status_code == 200 and 'id="title_es-error"' in resp.text
    assert "x" * 161 in resp.text  # what was typed is kept
    assert _load(app, Process, process.id).translations == {}


def test_an_admin_gives_a_project_spanish_texts(app, login, make_process, make_project):
    process = make_process(Phase.PROPOSALS)
    project = make_project(process, title="Benches")
    client, _admin = login(Role.ADMIN)
    url = f"/admin/processes/{process.id}/projects/{project.id}"
    assert 'name="summary_es"' in client.get(url).text
    resp = client.post(
        url,
        data={
            "title": "Benches",
            "code": project.code,
            "district_id": str(project.district_id),
            "cost": "10000",
            "title_es": "Bancos",
        },
    )
    assert resp.status_code == 302
    assert _load(app, Project, project.id).translations == {"es": {"title": "Bancos"}}


def test_the_service_keeps_only_known_languages_and_fields(app, make_user, make_process):
    admin = make_user(Role.ADMIN)
    process = make_process(Phase.DRAFT)
    with app.test_request_context():
        process = db.session.get(Process, process.id)
        saved = services.save_process(
            admin,
            process,
            slug=process.slug,
            settings={name: getattr(process, name) for name in services.SETTINGS},
            budgets={b.district_id: b.budget_cents for b in process.budgets},
            dates={},
            category_ids=[],
            translations={
                "es": {"title": " Título\x07 ", "summary": "", "colour": "rojo"},
                "en": {"title": "The default language is the base text"},
                "fr": {"title": "Not a configured language"},
            },
        )
        assert saved.translations == {"es": {"title": "Título"}}
        with pytest.raises(services.ProcessError):
            services.save_process(
                admin,
                process,
                slug=process.slug,
                settings={name: getattr(process, name) for name in services.SETTINGS},
                budgets={b.district_id: b.budget_cents for b in process.budgets},
                dates={},
                category_ids=[],
                translations={"es": {"summary": "x" * 301}},
            )


def test_a_note_the_service_writes_is_kept_in_the_codes_language_and_shown_in_the_readers(
    app, client, make_user, make_process, make_proposal
):
    process = make_process(Phase.PROPOSALS)
    proposal = make_proposal(process, title="Benches along the river")
    default, app.config["BABEL_DEFAULT_LOCALE"] = app.config["BABEL_DEFAULT_LOCALE"], "es"  # a Spanish city
    try:
        with app.app_context():
            admin = db.session.get(User, make_user(Role.ADMIN).id)
            change_phase(db.session.get(Process, process.id), Phase.REVIEW, admin)
            db.session.commit()
            stored = db.session.get(type(proposal), proposal.id).history[-1].reason
    finally:
        app.config["BABEL_DEFAULT_LOCALE"] = default
    assert stored == "The review phase started."
    english = client.get(f"/proposals/{proposal.id}", headers={"Accept-Language": "en"}).text
    assert "The review phase started." in english
    _switch(client, "es")
    spanish = client.get(f"/proposals/{proposal.id}").text
    assert "Ha comenzado la fase de revisión." in spanish and "The review phase started." not in spanish


# Districts and categories with names in several languages.

CASCO = {"es": {"name": "Casco Antiguo"}}
PARQUES = {"es": {"name": "Parques y naturaleza"}}


def _name_district(app, district_id: int, name: str = "Old Town") -> None:
    with app.app_context():
        district = db.session.get(District, district_id)
        district.name, district.translations = name, CASCO
        db.session.commit()


def test_a_spanish_reader_sees_spanish_district_and_category_names_on_proposals(
    app, client, make_process, make_proposal, make_category
):
    process = make_process(Phase.PROPOSALS)
    _name_district(app, process.budgets[0].district_id)
    parks = make_category("Parks and nature", translations=PARQUES)
    make_category("Streets")  # not translated: its base name shows in Spanish too
    proposal = make_proposal(process, title="Benches along the river", category_id=parks.id)
    english = client.get(f"/processes/{process.slug}/proposals").text
    assert "Old Town" in english and "Parks and nature" in english and "Casco Antiguo" not in english
    _switch(client, "es")
    listing = client.get(f"/processes/{process.slug}/proposals").text
    filters = listing[listing.index('id="district"') : listing.index('id="category"') + 2000]
    assert "Casco Antiguo</option>" in filters and "Parques y naturaleza</option>" in filters
    assert "Streets</option>" in filters
    card = listing[listing.index("Benches along the river") :]
    assert "<span>Casco Antiguo</span>" in card and "<span>Parques y naturaleza</span>" in card
    page = client.get(f"/proposals/{proposal.id}").text
    assert "Casco Antiguo" in page and "Parques y naturaleza" in page
    assert "Old Town" not in page and "Parks and nature" not in page
    assert "Casco Antiguo" in client.get(f"/processes/{process.slug}").text  # the budgets by district


def test_a_spanish_reader_sees_the_spanish_district_name_on_the_ballot_receipt_and_results(
    app, client, login, make_vote, make_election, outbox
):
    vote = make_vote()
    _name_district(app, vote.process.budgets[0].district_id)
    voter, _user = login(Role.RESIDENT, locale="es")
    assert "Su papeleta: Casco Antiguo" in voter.get(vote.url()).text
    assert voter.post(vote.url("cast"), data={"p": vote.ids()[:1]}).status_code == 302
    assert "(Casco Antiguo)" in outbox[-1].get_content()  # the receipt e-mail
    election = make_election(COSTS, VOTES, budget=BUDGET, rule=OutcomeRule.GREEDY)
    _name_district(app, election.process.budgets[0].district_id)
    with app.test_request_context():
        process = db.session.get(Process, election.process.id)
        results.count_process(process, None)
        results.publish(process, None)
        db.session.commit()
    assert "Casco Antiguo" not in client.get(f"/processes/{election.slug}/results").text
    _switch(client, "es")
    page = client.get(f"/processes/{election.slug}/results").text
    assert "Casco Antiguo</h2>" in page and "Old Town" not in page
