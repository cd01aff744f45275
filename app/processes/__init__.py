from app.processes.taxonomy_views import categories_bp, districts_bp
from app.processes.views import admin_bp, bp

__all__ = ["admin_bp", "bp", "categories_bp", "districts_bp"]
