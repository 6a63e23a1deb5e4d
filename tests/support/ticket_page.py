"""The ticket page's query: what the page asks for in one request."""

from __future__ import annotations

TICKET_PAGE = """
query TicketPage($id: ID!) {
  ticket(id: $id) {
    id number title description type priority impact activityStatus channel createdAt updatedAt version
    status { id name category }
    assignee { id name avatarUrl openTicketCount }
    tags { name source }
    requester {
      id name jobTitle email phone mobile
      site { name } department { name } customer { name }
      contracts { name type active }
      devices { name os online lastSeenAt }
      satisfaction { average count surveys { supportQuality comment } }
      recentTickets { number title status { name } }
    }
    conversation(first: 50) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id kind body text channel isResolution createdAt
        author { ... on Technician { name } ... on Requester { name } }
        attachments { filename contentType size } } }
    }
    resolution { id text }
    activity(first: 20) { edges { node { kind field oldValue newValue channel createdAt
      actor { ... on Technician { name } ... on Requester { name } } } } }
  }
}
"""
