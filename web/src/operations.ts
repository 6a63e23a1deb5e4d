// Every operation of the page. `npm run build` generates their types from ../schema.graphql first: an
// operation that no longer fits the schema fails the build there, and a changed type fails `tsc`.
import { graphql } from "./generated";

export const Me = graphql(`
  query Me {
    viewer {
      account { name }
      technician { id name role }
      requester { id name }
    }
  }
`);

export const Login = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess { token }
      ... on Error { message }
    }
  }
`);

export const Logout = graphql(`
  mutation Logout {
    logout { revoked }
  }
`);

export const TicketList = graphql(`
  query TicketList {
    tickets(first: 25, orderBy: RECENTLY_UPDATED) {
      edges {
        node {
          id number title priority updatedAt
          status { name category }
          assignee { name }
          requester { name }
        }
      }
    }
  }
`);

graphql(`
  fragment TicketHeader on Ticket {
    id number title description type priority impact activityStatus createdAt version
    status { name category }
    assignee { name }
    team { name }
    tags { name }
  }
`);

graphql(`
  fragment CommentView on Comment {
    id kind text channel createdAt isResolution
    author { __typename ... on Technician { name } ... on Requester { name } }
    attachments { filename size }
  }
`);

graphql(`
  fragment ActivityView on Activity {
    id kind field oldValue newValue channel createdAt
    actor { __typename ... on Technician { name } ... on Requester { name } }
  }
`);

export const TicketId = graphql(`
  query TicketId($number: Int!) {
    ticketByNumber(number: $number) { id }
  }
`);

export const TicketPage = graphql(`
  query TicketPage($id: ID!, $order: ConversationOrder!, $filter: ConversationFilter!) {
    ticket(id: $id) {
      ...TicketHeader
      requester {
        name jobTitle email phone mobile
        site { name }
        department { name }
        customer { name }
        contracts { name type active }
        devices { name os online }
        recentTickets { number title status { name } }
      }
      conversation(first: 100, order: $order, filter: $filter) {
        totalCount
        edges { node { ...CommentView } }
      }
      activity(first: 30) {
        edges { node { ...ActivityView } }
      }
    }
  }
`);

export const TicketEvents = graphql(`
  subscription TicketEvents($ticketId: ID!) {
    ticketUpdated(ticketId: $ticketId) {
      kind
      changes
      ticket { ...TicketHeader }
      comment { ...CommentView }
      activity { ...ActivityView }
    }
  }
`);

export const OpenTicket = graphql(`
  mutation OpenTicket($input: OpenTicketInput!) {
    openTicket(input: $input) {
      __typename
      ... on Error { message }
    }
  }
`);

export const AddReply = graphql(`
  mutation AddReply($input: AddPublicReplyInput!) {
    addPublicReply(input: $input) {
      __typename
      ... on AddCommentSuccess { comment { ...CommentView } }
      ... on Error { message }
    }
  }
`);

export const AddNote = graphql(`
  mutation AddNote($input: AddInternalNoteInput!) {
    addInternalNote(input: $input) {
      __typename
      ... on AddCommentSuccess { comment { ...CommentView } }
      ... on Error { message }
    }
  }
`);

export const Presence = graphql(`
  subscription Presence($ticketId: ID!) {
    ticketPresence(ticketId: $ticketId) {
      sessionId
      collaborators { state since isViewer technician { id name avatarUrl } }
    }
  }
`);

export const SetPresence = graphql(`
  mutation SetPresence($input: SetPresenceStateInput!) {
    setPresenceState(input: $input) {
      __typename
      ... on Error { message }
    }
  }
`);

graphql(`
  fragment TimerView on Timer {
    id state startedAt accumulatedSeconds
    ticket { id number title }
  }
`);

export const Timers = graphql(`
  query Timers {
    viewer { timers { ...TimerView } }
  }
`);

export const TimerChanges = graphql(`
  subscription TimerChanges {
    timerState { kind }
  }
`);

graphql(`
  fragment TimerOutcome on TimerResult {
    __typename
    ... on Error { message }
  }
`);

export const StartTimer = graphql(`
  mutation StartTimer($input: TimerInput!) { startTimer(input: $input) { ...TimerOutcome } }
`);

export const PauseTimer = graphql(`
  mutation PauseTimer($input: TimerInput!) { pauseTimer(input: $input) { ...TimerOutcome } }
`);

export const ResumeTimer = graphql(`
  mutation ResumeTimer($input: TimerInput!) { resumeTimer(input: $input) { ...TimerOutcome } }
`);

export const StopTimer = graphql(`
  mutation StopTimer($input: StopTimerInput!) { stopTimer(input: $input) { ...TimerOutcome } }
`);
