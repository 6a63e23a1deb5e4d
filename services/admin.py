"""What admin-only services share."""

from __future__ import annotations

from services.errors import PermissionDenied
from services.viewer import Viewer


def require_admin(viewer: Viewer) -> None:
    if not viewer.is_admin:
        raise PermissionDenied("Only admins can do this.")


def require_technician(viewer: Viewer) -> None:
    if not viewer.is_technician:
        raise PermissionDenied("Only technicians can do this.")
