"""Officers' delivery pages on a phone: the overview table labels every cell with its column."""

from html.parser import HTMLParser

from app.auth.models import Role
from app.delivery.models import DeliveryStatus


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


def test_every_cell_of_the_overview_table_is_labelled_with_its_column(app, login, make_delivery):
    record = make_delivery(status=DeliveryStatus.IN_PROGRESS)
    make_delivery(record.process, status=DeliveryStatus.DELAYED)
    client, _ = login(Role.OFFICER)
    table = _Table()
    table.feed(client.get(f"/officer/delivery/processes/{record.process_id}").text)
    assert "table-stack" in table.classes.split()
    assert table.headers == ["Project", "Status", "Progress", "Spent / allocated", "Next milestone"]
    assert len(table.rows) == 2 and all(row == table.headers for row in table.rows)
