"""Admin pages for the city's districts and categories: list, add, edit, delete."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.core.permissions import admin_required
from app.extensions import db
from app.i18n import extra_languages, language_name
from app.processes import services, taxonomy
from app.processes.forms import translation_form_data
from app.processes.models import Category, District
from app.processes.taxonomy_forms import CategoryForm, DistrictForm, with_name_translations

districts_bp = Blueprint("districts_admin", __name__, url_prefix="/admin/districts")
categories_bp = Blueprint("categories_admin", __name__, url_prefix="/admin/categories")


def _languages() -> list[tuple[str, str]]:
    """[(code, name)] of the extra languages, each name capitalised to start a line ("Español")."""
    names = {code: language_name(code) for code in extra_languages()}
    return [(code, name[:1].upper() + name[1:]) for code, name in names.items()]


def _form(form_class: type, item: District | Category | None):
    form_class = with_name_translations(form_class, extra_languages())
    return form_class(obj=item, data=translation_form_data(item) if item else {})


def _saved(save, item, form, **extra) -> bool:
    """Save from a valid form and commit; a refusal goes next to its field (False)."""
    try:
        save(
            current_user,
            item,
            name=form.name.data,
            slug=form.slug.data,
            position=form.position.data,
            translations=form.translations_data(),
            **extra,
        )
    except services.ProcessError as exc:
        form[exc.field or "name"].errors.append(str(exc))
        return False
    db.session.commit()
    return True


def _deleted(item: District | Category) -> bool:
    """Delete and commit; a refusal (what uses it) is flashed for the top of the page (False)."""
    try:
        taxonomy.delete(current_user, item)
    except services.ProcessError as exc:
        flash(str(exc), "error")
        return False
    db.session.commit()
    return True


@districts_bp.route("/", endpoint="index")
@admin_required
def district_list():
    return render_template(
        "processes/admin/districts.html", districts=services.districts(), languages=_languages()
    )


@districts_bp.route("/new", methods=["GET", "POST"], endpoint="new")
@districts_bp.route("/<int:district_id>", methods=["GET", "POST"], endpoint="edit")
@admin_required
def district_form(district_id: int | None = None):
    district = db.get_or_404(District, district_id) if district_id else None
    form = _form(DistrictForm, district)
    if form.validate_on_submit() and _saved(
        taxonomy.save_district, district, form, is_citywide=form.is_citywide.data
    ):
        flash(_("The district is saved."), "success")
        return redirect(url_for("districts_admin.index"))
    why_kept = taxonomy.why_kept(district) if district else None
    return render_template(
        "processes/admin/district_form.html", form=form, district=district, why_kept=why_kept
    )


@districts_bp.route("/<int:district_id>/delete", methods=["POST"], endpoint="delete")
@admin_required
def delete_district(district_id: int):
    district = db.get_or_404(District, district_id)
    if not _deleted(district):
        return redirect(url_for("districts_admin.edit", district_id=district.id))
    flash(_("The district is deleted."), "success")
    return redirect(url_for("districts_admin.index"))


@categories_bp.route("/", endpoint="index")
@admin_required
def category_list():
    return render_template(
        "processes/admin/categories.html", categories=services.categories(), languages=_languages()
    )


@categories_bp.route("/new", methods=["GET", "POST"], endpoint="new")
@categories_bp.route("/<int:category_id>", methods=["GET", "POST"], endpoint="edit")
@admin_required
def category_form(category_id: int | None = None):
    category = db.get_or_404(Category, category_id) if category_id else None
    form = _form(CategoryForm, category)
    if form.validate_on_submit() and _saved(taxonomy.save_category, category, form):
        flash(_("The category is saved."), "success")
        return redirect(url_for("categories_admin.index"))
    why_kept = taxonomy.why_kept(category) if category else None
    return render_template(
        "processes/admin/category_form.html", form=form, category=category, why_kept=why_kept
    )


@categories_bp.route("/<int:category_id>/delete", methods=["POST"], endpoint="delete")
@admin_required
def delete_category(category_id: int):
    category = db.get_or_404(Category, category_id)
    if not _deleted(category):
        return redirect(url_for("categories_admin.edit", category_id=category.id))
    flash(_("The category is deleted."), "success")
    return redirect(url_for("categories_admin.index"))
