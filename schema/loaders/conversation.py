"""Loaders of the conversation: comments with their page and count, attachments, cc, mentions,
followers, the resolution, reply templates."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import cached_property

from strawberry.dataloader import DataLoader
from tortoise.queryset import QuerySet

from fastpath.statements import count_where
from models.conversation import (
    Attachment,
    CcRecipient,
    Comment,
    CommentMention,
    ReplyTemplate,
    TicketFollower,
)
from models.enums import CommentKind
from schema.loaders.base import ConnectionKey, LoaderBase, by_id, grouped_by, pages
from schema.pagination import Page
from services import visibility
from services.viewer import Viewer


def conversation_query(viewer: Viewer, kinds: Hashable, with_authors: bool = False) -> QuerySet[Comment]:
    """Comments the viewer may see, of the given kinds (None: all), with the authors joined that the
    viewer may see joined (schema.planned) when ``with_authors``."""
    query = visibility.comments_with_authors(viewer) if with_authors else visibility.comments(viewer)
    if kinds is not None:
        assert isinstance(kinds, frozenset)
        query = query.filter(kind__in=[CommentKind(kind) for kind in kinds])
    return query


class ConversationLoaders(LoaderBase):
    @cached_property
    def comment_by_id(self) -> DataLoader[int, Comment | None]:
        v = self.viewer
        return by_id(lambda: visibility.comments(v))

    @cached_property
    def attachment_by_id(self) -> DataLoader[int, Attachment | None]:
        v = self.viewer
        return by_id(lambda: visibility.attachments(v))

    @cached_property
    def attachments_by_comment(self) -> DataLoader[int, list[Attachment]]:
        v = self.viewer
        return grouped_by(lambda: visibility.attachments(v), "comment_id", "id")

    @cached_property
    def resolution_by_ticket(self) -> DataLoader[int, list[Comment]]:
        v = self.viewer
        return grouped_by(
            lambda: visibility.comments(v).filter(is_resolution=True), "ticket_id", "created_at", "id"
        )

    @cached_property
    def cc_by_comment(self) -> DataLoader[int, list[CcRecipient]]:
        v = self.viewer
        return grouped_by(lambda: visibility.cc_recipients(v), "comment_id", "id")

    @cached_property
    def cc_by_ticket(self) -> DataLoader[int, list[CcRecipient]]:
        v = self.viewer
        return grouped_by(
            lambda: visibility.cc_recipients(v).filter(comment_id__isnull=True), "ticket_id", "email"
        )

    @cached_property
    def mentions_by_comment(self) -> DataLoader[int, list[CommentMention]]:
        v = self.viewer
        return grouped_by(lambda: visibility.mentions(v), "comment_id", "id")

    @cached_property
    def followers_by_ticket(self) -> DataLoader[int, list[TicketFollower]]:
        v = self.viewer
        return grouped_by(lambda: visibility.followers(v), "ticket_id", "id")

    @cached_property
    def reply_template_by_id(self) -> DataLoader[int, ReplyTemplate | None]:
        v = self.viewer
        return by_id(lambda: visibility.reply_templates(v))

    @cached_property
    def conversation(self) -> DataLoader[ConnectionKey, Page[Comment]]:
        v = self.viewer
        return pages(lambda kinds: conversation_query(v, kinds), "ticket_id")

    @cached_property
    def conversation_with_authors(self) -> DataLoader[ConnectionKey, Page[Comment]]:
        v = self.viewer
        return pages(lambda kinds: conversation_query(v, kinds, True), "ticket_id")

    @cached_property
    def conversation_count_by_ticket(self) -> DataLoader[tuple[int, Hashable], int]:
        """The comments of a ticket the viewer has read, by (ticket id, kinds or None for all the viewer
        sees): Ticket.conversation's totalCount, one statement each."""
        v = self.viewer

        async def load(keys: list[tuple[int, Hashable]]) -> list[int]:
            return [
                await count_where(_conversation_of(v, kinds), "ticket_id", ticket_id)
                for ticket_id, kinds in keys
            ]

        return DataLoader(load_fn=load)


def _conversation_of(v: Viewer, kinds: Hashable) -> Callable[[], QuerySet[Comment]]:
    def query() -> QuerySet[Comment]:
        visible = visibility.comments_of_visible_ticket(v)
        if kinds is None:
            return visible
        assert isinstance(kinds, frozenset)
        return visible.filter(kind__in=[CommentKind(kind) for kind in kinds])

    return query
