"""The context panels' operations (devices, surveys, calendar events and the feed, alerts) and the calls
that set them up through the API."""

from __future__ import annotations

from models.enums import StatusCategory
from models.tickets import Ticket, TicketStatus
from schema.ids import encode
from tests.api import Api
from tests.factories import World

ERRORS = """... on ValidationError { fields { field message } } ... on NotFoundError { field }
  ... on PermissionDeniedError { message }"""


def gid(ticket: Ticket) -> str:
    return encode("Ticket", ticket.id)


REGISTER = (
    """mutation($input: RegisterDeviceInput!) { registerDevice(input: $input) { __typename
  ... on DeviceSuccess { device { id name hostname os online } } """
    + ERRORS
    + " } }"
)
ASSIGN = (
    """mutation($input: AssignAgentInput!) { assignAgent(input: $input) { __typename
  ... on DeviceSuccess { device { name } } """
    + ERRORS
    + " } }"
)
UNASSIGN = (
    """mutation($input: UnassignAgentInput!) { unassignAgent(input: $input) { __typename """ + ERRORS + " } }"
)
DEVICES = """query($id: ID!) { node(id: $id) { ... on Requester { devices { name hostname os online lastSeenAt
  remoteConnectUrl } } } }"""
SETTINGS = """mutation($input: UpdateTicketSettingsInput!) { updateTicketSettings(input: $input) { __typename
  ... on TicketSettingsSuccess { settings { remoteConnectUrlTemplate sendSurveyOnResolve } }
  ... on ValidationError { fields { field message } } } }"""


async def register_device(api: Api, world: World, hostname: str) -> str:
    made = await api.data(
        REGISTER,
        {"input": {"name": hostname.upper(), "hostname": hostname, "os": "Windows 11 Pro", "online": True}},
        token=world.technician_token,
    )
    device_id: str = made["registerDevice"]["device"]["id"]
    return device_id


SUBMIT = (
    """mutation($input: SubmitSatisfactionSurveyInput!) { submitSatisfactionSurvey(input: $input) { __typename
  ... on SatisfactionSurveySuccess { survey { supportQuality technicianKnowledge overallHelpfulness comment } }
  """
    + ERRORS
    + " } }"
)
RATINGS = {"supportQuality": 5, "technicianKnowledge": 4, "overallHelpfulness": 3, "comment": "Quick, thanks"}
MOVE = """mutation($input: UpdateTicketInput!) { updateTicket(input: $input) { __typename } }"""


async def move_into(api: Api, world: World, ticket: Ticket, category: StatusCategory) -> None:
    status = await TicketStatus.filter(account_id=world.account.id, category=category).first()
    assert status is not None
    variables = {"input": {"id": gid(ticket), "statusId": encode("TicketStatus", status.id)}}
    assert (await api.data(MOVE, variables, token=world.technician_token))["updateTicket"]["__typename"] == (
        "UpdateTicketSuccess"
    )


SCHEDULE = (
    """mutation($input: ScheduleTicketEventInput!) { scheduleTicketEvent(input: $input) { __typename
  ... on CalendarEventSuccess { event { id title startsAt endsAt sequence attendees { name } } } """
    + ERRORS
    + " } }"
)
UPDATE_EVENT = (
    """mutation($input: UpdateTicketEventInput!) { updateTicketEvent(input: $input) { __typename
  ... on CalendarEventSuccess { event { startsAt sequence } } """
    + ERRORS
    + " } }"
)


FEED = (
    """mutation { createCalendarFeed { __typename ... on CalendarFeedSuccess { feed { url webcalUrl } } } }"""
)


async def fetch_feed(api: Api, url: str) -> tuple[int, str]:
    async with api.client() as client:
        response = await client.get(url)
    return response.status_code, response.text


CREATE_ALERT = (
    """mutation($input: CreateAlertInput!) { createAlert(input: $input) { __typename
  ... on AlertSuccess { alert { id name severity status ticketId device { hostname } } } """
    + ERRORS
    + " } }"
)
LINK = (
    """mutation($input: AlertTicketInput!) { linkAlertToTicket(input: $input) { __typename
  ... on AlertSuccess { alert { ticketId } } """
    + ERRORS
    + " } }"
)


FROM_ALERT = (
    """mutation($input: CreateTicketFromAlertInput!) { createTicketFromAlert(input: $input) { __typename
  ... on CreateTicketFromAlertSuccess { ticket { id title priority requester { name }
    relatedAlerts { name } } alert { status } } """
    + ERRORS
    + " } }"
)
