"""Saved views: the sidebar with live counts, and saving, changing and deleting views."""

from __future__ import annotations

import strawberry

from resolvers import views
from schema.payloads.common import DeleteResult
from schema.payloads.views import ViewResult
from schema.types.views import View


@strawberry.type
class ViewQueries:
    views: list[View] = strawberry.field(
        resolver=views.views_list,
        description="Your saved views and the account's shared ones, in sidebar order, each with its count "
        "(technicians; empty for requesters). List one with `tickets(viewId:)`, follow it live with "
        "`ticketViewUpdated`.",
    )


@strawberry.type
class ViewMutations:
    create_view: ViewResult = strawberry.field(
        resolver=views.create_view,
        description="Save a ticket list: personal (any technician) or shared with the account (admins).",
    )
    update_view: ViewResult = strawberry.field(
        resolver=views.update_view, description="Change a view (shared ones: admins)."
    )
    delete_view: DeleteResult = strawberry.field(
        resolver=views.delete_view, description="Delete a view (shared ones: admins)."
    )
