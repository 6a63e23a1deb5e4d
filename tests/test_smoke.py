from tests.api import Api
from tests.factories import make_world


async def test_a_technician_reads_a_ticket(api: Api) -> None:
    world = await make_world()
    ticket = await world.ticket()
    data = await api.data(
        "query($n: Int!) { ticketByNumber(number: $n) { id number title status { name category } requester { name } } }",
        {"n": ticket.number},
        token=world.technician_token,
    )
    assert data["ticketByNumber"]["title"] == "Printer on floor 2 jams"
