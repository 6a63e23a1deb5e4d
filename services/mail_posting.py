"""Posting a received email: as a reply through the conversation service, or as a new ticket.

The text is cleaned of quoted history, greetings and signatures (mail-parser-reply) and cut to 64,000
characters with an ellipsis; files become the author's uploads, attached to the comment (those over the
limits are named in the text instead).
"""

from __future__ import annotations

import logging

from mailparser_reply import EmailReplyParser

from models.conversation import Comment
from models.enums import Channel, InboundOutcome
from models.people import Requester
from services import attachments, conversation, ticket_settings, tickets
from services.html import ELLIPSIS, from_text
from services.incoming_mail import IncomingMail, Outcome, one, plain
from services.mail_config import MailConfig
from services.mail_matching import Match
from services.viewer import Viewer

log = logging.getLogger("deskql.mail")
MAX_TEXT = 64_000
_PARSER = EmailReplyParser(languages=["en", "de", "fr", "it", "es", "nl", "pt", "sv", "da", "pl"])


def cleaned(text: str) -> str:
    try:
        replies = _PARSER.read(text=text).replies
    except Exception:  # the parser's regexes on odd text: keep the whole text
        log.warning("the reply parser failed; keeping the whole text", exc_info=True)
        return text.strip()
    body = replies[0].body.strip() if replies else ""
    return body or text.strip()


def cut(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + ELLIPSIS


async def _upload(viewer: Viewer, config: MailConfig, mail: IncomingMail) -> tuple[list[int], list[str]]:
    """Keep the mail's files as the author's uploads: (ids, names of files left out for their size)."""
    limits = attachments.Limits(config.max_inbound_file_bytes, config.max_inbound_comment_bytes)
    kept, left_out, total = [], [], 0
    for file in mail.files:
        if len(file.content) > limits.max_file_bytes or total + len(file.content) > limits.max_comment_bytes:
            left_out.append(attachments.safe_filename(file.filename))
            continue
        upload = await attachments.upload(viewer, file.filename, one(file.content), limits)
        total += upload.size
        kept.append(upload.id)
    return kept, left_out


def _with_notes(text: str, left_out: list[str], kept: list[int]) -> str:
    if left_out:
        text += "\n\n(Files too large to keep: " + ", ".join(left_out) + ")"
    if not text.strip() and kept:
        text = "(Files sent by email.)"
    return text


async def post(config: MailConfig, mail: IncomingMail, found: Match) -> Outcome:
    viewer = await found.author.viewer()
    files, left_out = await _upload(viewer, config, mail)
    text = _with_notes(cut(cleaned(plain(mail))), left_out, files)
    if not text.strip():
        return Outcome(InboundOutcome.EMPTY, "no text and no files", found.ticket.account_id, found.ticket.id)
    draft = conversation.Draft(body=from_text(text), attachment_ids=files)
    limits = attachments.Limits(config.max_inbound_file_bytes, config.max_inbound_comment_bytes)
    add = conversation.add_internal_note if found.note else conversation.add_public_reply
    comment: Comment = await add(viewer, found.ticket.id, draft, limits)
    return Outcome(
        InboundOutcome.REPLY_POSTED,
        "internal note" if found.note else "public reply",
        found.ticket.account_id,
        found.ticket.id,
        comment.id,
        viewer.technician_id,
        viewer.requester_id,
    )


async def open_ticket(config: MailConfig, mail: IncomingMail, account_id: int) -> Outcome:
    requester = await Requester.get_or_none(account_id=account_id, email=mail.sender)
    if requester is None:
        if not (await ticket_settings.settings_of(account_id)).open_tickets_from_unknown_senders:
            return Outcome(InboundOutcome.UNKNOWN_SENDER, "not a requester of this account", account_id)
        requester = await Requester.create(
            account_id=account_id,
            email=mail.sender,
            name=(mail.sender_name or mail.sender.split("@")[0])[:200],
        )
    viewer = Viewer(account_id, requester_id=requester.id, channel=Channel.EMAIL)
    text = cut(cleaned(plain(mail)))
    title = " ".join(mail.subject.split())[: tickets.MAX_TITLE] or "(no subject)"
    ticket = await tickets.create(viewer, title=title, description=text)
    files, left_out = await _upload(viewer, config, mail)
    comment_id = None
    if files or left_out:
        note = _with_notes("Files sent with the request.", left_out, files)
        limits = attachments.Limits(config.max_inbound_file_bytes, config.max_inbound_comment_bytes)
        draft = conversation.Draft(body=from_text(note), attachment_ids=files)
        comment_id = (await conversation.add_public_reply(viewer, ticket.id, draft, limits)).id
    return Outcome(
        InboundOutcome.TICKET_CREATED,
        f"ticket #{ticket.number}",
        account_id,
        ticket.id,
        comment_id,
        requester_id=requester.id,
    )
