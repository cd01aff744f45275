"""Officers' delivery pages on a phone and in a queue: the overview table labels every cell, and an
answer with a problem comes back on the queue it was sent from, at its field, with what was typed."""

import html
import re
from html.parser import HTMLParser

from app.auth.models import Role
from app.delivery.models import DeliveryStatus, GroundReport, HelpOffer, OfferStatus, ReportStatus
from app.extensions import db
from tests.web.query_counter import count_queries


class _Table(HTMLParser):
    """The column headers of the first table, and each body cell's data-label, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.classes, self.headers, self.rows = "", [], []
        self._in = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and not self.classes:
            self.classes = attrs.get("class", "")
        elif tag == "th" and attrs.get("scope") == "col":
            self._in = "th"
            self.headers.append("")
        elif tag == "tr" and self.headers:
            self.rows.append([])
        elif tag == "td":
            self.rows[-1].append(attrs.get("data-label"))

    def handle_endtag(self, tag):
        if tag == "th":
            self._in = None

    def handle_data(self, data):
        if self._in == "th":
            self.headers[-1] += data


def _text(resp) -> str:
    return html.unescape(resp.text)


def _status(app, model, item_id):
    with app.app_context():
        return db.session.get(model, item_id).status


def test_every_cell_of_the_overview_table_is_labelled_with_its_column(app, login, make_delivery):
    record = make_delivery(status=DeliveryStatus.IN_PROGRESS)
    make_delivery(record.process, status=DeliveryStatus.DELAYED)
    client, _ = login(Role.OFFICER)
    table = _Table()
    table.feed(client.get(f"/officer/delivery/processes/{record.process_id}").text)
    assert "table-stack" in table.classes.split()
    assert table.headers == ["Project", "Status", "Progress", "Spent / allocated", "Next milestone"]
    assert len(table.rows) == 2 and all(row == table.headers for row in table.rows)


def test_a_bad_answer_to_an_offer_comes_back_on_the_queue_at_its_field(app, login, make_delivery, make_offer):
    record = make_delivery(status=DeliveryStatus.IN_PROGRESS)
    other = make_offer(record)
    offer = make_offer(record, status=OfferStatus.ACCEPTED)  # only in the "all" view of the queue
    client, _ = login(Role.OFFICER)
    field = f"offer-{offer.id}"

    queue = "/officer/delivery/offers?status=all"
    resp = client.post(
        f"/officer/delivery/offers/{offer.id}?status=all",
        data={f"{field}-reply": "See you at ten."},
        headers={"Referer": f"http://localhost{queue}"},
    )
    page = _text(resp)
    assert resp.status_code == 400
    # the language switch brings the officer back to the queue, not to the answer's POST-only address
    assert f'name="next" value="{queue}"' in page.replace("&amp;", "&")
    # the queue again, not a page of its own
    assert "<h1>Offers of help</h1>" in page and f'id="offer-{other.id}"' in page
    assert re.search(r'<option selected value="all">', page)  # with the filter it was sent from
    assert f'<a href="#{field}-decision">Your answer: Choose what to do with this offer.</a>' in page
    assert f'<p class="error" id="{field}-decision-error">Choose what to do with this offer.</p>' in page
    assert re.search(rf'<textarea[^>]*id="{field}-reply"[^>]*>\s*See you at ten.</textarea>', page)
    assert f'action="/officer/delivery/offers/{offer.id}?status=all"' in page
    assert f'id="offer-{other.id}-reply-error"' not in page

    resp = client.post(
        f"/officer/delivery/offers/{offer.id}?status=all",
        data={f"{field}-decision": "coordinating", f"{field}-reply": "<b>Come at ten</b>"},
    )
    page = _text(resp)
    assert resp.status_code == 400 and f'id="{field}-reply-error"' in page and "Remove the HTML code" in page
    assert re.search(rf'<input checked[^>]*id="{field}-decision-1"[^>]*value="coordinating"', page)
    assert "&lt;b&gt;Come at ten&lt;/b&gt;</textarea>" in resp.text
    assert _status(app, HelpOffer, offer.id) == OfferStatus.ACCEPTED


def test_an_answered_offer_goes_back_to_the_queue_with_its_filter(app, login, make_delivery, make_offer):
    offer = make_offer(make_delivery(status=DeliveryStatus.IN_PROGRESS))
    client, _ = login(Role.OFFICER)
    resp = client.post(
        f"/officer/delivery/offers/{offer.id}?status=all",
        data={f"offer-{offer.id}-decision": "accepted", f"offer-{offer.id}-reply": ""},
    )
    assert resp.status_code == 302 and resp.headers["Location"] == "/officer/delivery/offers?status=all"
    assert _status(app, HelpOffer, offer.id) == OfferStatus.ACCEPTED


def test_a_bad_answer_to_a_report_comes_back_on_the_queue_at_its_field(
    app, login, make_delivery, make_report
):
    report = make_report(make_delivery(status=DeliveryStatus.IN_PROGRESS))
    client, _ = login(Role.OFFICER)
    field = f"report-{report.id}"
    resp = client.post(f"/officer/delivery/reports/{report.id}", data={f"{field}-decision": "answered"})
    page = _text(resp)
    assert resp.status_code == 400 and "<h1>Residents' reports</h1>" in page
    assert 'action="/officer/delivery/reports"' in page  # the filter still leads to the queue
    assert (
        f'<a href="#{field}-answer">Message to the resident: Write your answer to the resident.</a>' in page
    )
    assert f'<p class="error" id="{field}-answer-error">Write your answer to the resident.</p>' in page
    assert re.search(rf'<textarea[^>]*aria-invalid="true"[^>]*id="{field}-answer"', page)

    resp = client.post(f"/officer/delivery/reports/{report.id}", data={f"{field}-answer": "Fixed on Monday."})
    page = _text(resp)
    assert resp.status_code == 400 and f'id="{field}-decision-error"' in page
    assert re.search(rf'<textarea[^>]*id="{field}-answer"[^>]*>\s*Fixed on Monday.</textarea>', page)
    assert _status(app, GroundReport, report.id) == ReportStatus.PENDING


def test_the_queues_run_the_same_number_of_queries_whatever_their_length(
    app, login, make_delivery, make_offer, make_report
):
    client, _ = login(Role.OFFICER)
    make_offer(make_delivery(status=DeliveryStatus.IN_PROGRESS))
    make_report(make_delivery(status=DeliveryStatus.IN_PROGRESS))
    offers = count_queries(app, lambda: client.get("/officer/delivery/offers"))
    reports = count_queries(app, lambda: client.get("/officer/delivery/reports"))
    for _ in range(5):
        make_offer(make_delivery(status=DeliveryStatus.IN_PROGRESS))
        make_report(make_delivery(status=DeliveryStatus.IN_PROGRESS))
    assert count_queries(app, lambda: client.get("/officer/delivery/offers")) == offers
    assert count_queries(app, lambda: client.get("/officer/delivery/reports")) == reports
