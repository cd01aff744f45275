"""Delivery of funded projects and co-production: status, progress, milestones, spending and updates
by officers; offers of help, reports from the ground and ratings by residents.

`bp` holds the public pages (`delivery.index`, `delivery.process`, `delivery.project`, ...) and the
residents' actions; `officer_bp` the officers' pages (`delivery_admin.*`). Importing this package
connects the receiver that opens delivery records when results are published (services.py), adds the
officers' dashboard panel and describes the open data paths.
"""

from app.delivery import api_doc, services  # noqa: F401  (signal receiver; OpenAPI paths)
from app.delivery.officer_views import bp as officer_bp
from app.delivery.officer_views import panel_data
from app.delivery.views import bp
from app.officer import add_panel

add_panel("delivery/_officer_panel.html", panel_data)

__all__ = ["bp", "officer_bp"]
