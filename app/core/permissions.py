"""Route guards by role. Anonymous visitors are sent to sign in; signed-in users without the role get 403."""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user

from app.extensions import login_manager

F = TypeVar("F", bound=Callable)


def role_required(minimum: str) -> Callable[[F], F]:
    """Allow users whose role is `minimum` or above (resident < officer < admin)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(minimum):
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


officer_required = role_required("officer")
admin_required = role_required("admin")
