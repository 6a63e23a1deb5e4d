// The ticket page: details, the conversation (sort, filter), the activity log, the requester panel and the
// reply box; for technicians also presence and the timer bar. Kept live by `ticketUpdated`.
import { type ApiError, request, subscribe } from "./api";
import { h, when, words } from "./dom";
import type {
  ActivityViewFragment,
  CommentViewFragment,
  ConversationFilter,
  ConversationOrder,
  TicketEventsSubscription,
  TicketPageQuery,
} from "./generated/graphql";
import type { Viewer } from "./main";
import { AddNote, AddReply, OpenTicket, TicketEvents, TicketId, TicketPage } from "./operations";
import { type Presence, presenceBar } from "./presence";
import { link } from "./router";
import { timerBar } from "./timer";

type Ticket = NonNullable<TicketPageQuery["ticket"]>;
type TicketEvent = TicketEventsSubscription["ticketUpdated"];
type Header = TicketEvent["ticket"];

const TYPING_ENDS_AFTER_MS = 5000;

export function ticketPage(main: HTMLElement, number: number, viewer: Viewer): () => void {
  const staff = viewer.technician !== null;
  const stops: (() => void)[] = [];
  let left = false;
  let ticketId = "";
  let order: ConversationOrder = "OLDEST_FIRST";
  let filter: ConversationFilter = "ALL";
  let comments: CommentViewFragment[] = [];
  let activity: ActivityViewFragment[] = [];
  let loaded = false;
  const waiting: TicketEvent[] = [];
  let presence: Presence | null = null;

  const title = h("h1", { "data-testid": "ticket-title" }, `#${number}`);
  const details = h("dl", { class: "details", "data-testid": "details" });
  const description = h("p", { class: "description" });
  const conversation = h("ol", { class: "conversation", "data-testid": "conversation" });
  const log = h("ol", { class: "activity", "data-testid": "activity" });
  const requester = h("section", { class: "requester", "data-testid": "requester" });
  const problem = h("p", { class: "error", role: "alert" });
  const presenceArea = h("div", { class: "presence", "data-testid": "presence" });
  const timerArea = h("div", { class: "timer", "data-testid": "timer" });

  const orderSelect = select("Sort", { OLDEST_FIRST: "Oldest first", NEWEST_FIRST: "Newest first" }, (value) => {
    order = value as ConversationOrder;
    void load();
  });
  const filterSelect = staff
    ? select("Show", { ALL: "Everything", PUBLIC_REPLIES: "Replies", INTERNAL_NOTES: "Internal notes" }, (value) => {
        filter = value as ConversationFilter;
        void load();
      })
    : null;

  main.replaceChildren(
    h("div", { class: "ticket" },
      h("div", { class: "main-column" },
        staff ? h("div", { class: "live" }, presenceArea, timerArea) : null,
        title,
        details,
        description,
        problem,
        h("section", {},
          h("div", { class: "section-head" }, h("h2", {}, "Conversation"), orderSelect, filterSelect),
          conversation,
          composer(),
        ),
        h("section", {}, h("h2", {}, "Activity"), log),
      ),
      h("aside", {}, requester),
    ),
  );

  /** The page as it is now. Called on each SNAPSHOT (the subscription is in place before it is read, so no
   * change falls in between) and on RESYNC; events that arrive meanwhile are applied once it is read. */
  async function load(): Promise<void> {
    loaded = false;
    try {
      const { ticket } = await request(TicketPage, { id: ticketId, order, filter });
      if (left) return;
      if (!ticket) {
        problem.textContent = `Ticket #${number} is gone.`;
        return;
      }
      comments = ticket.conversation.edges.map((edge) => edge.node);
      activity = ticket.activity.edges.map((edge) => edge.node);
      showHeader(ticket);
      showRequester(ticket.requester);
      showConversation();
      showActivity();
      loaded = true;
      for (const event of waiting.splice(0)) apply(event);
    } catch (error) {
      problem.textContent = String(error);
    }
  }

  function apply(event: TicketEvent): void {
    showHeader(event.ticket);
    if (event.comment) addComment(event.comment);
    if (event.activity && !activity.some((entry) => entry.id === event.activity?.id)) {
      activity = [event.activity, ...activity];
      showActivity();
    }
  }

  function addComment(comment: CommentViewFragment): void {
    const shown = filter === "ALL" || (filter === "PUBLIC_REPLIES") === (comment.kind === "PUBLIC_REPLY");
    const at = comments.findIndex((entry) => entry.id === comment.id);
    if (at >= 0) comments[at] = comment;
    else if (!shown) return;
    else if (order === "OLDEST_FIRST") comments.push(comment);
    else comments.unshift(comment);
    showConversation();
  }

  function showHeader(ticket: Header): void {
    title.textContent = `#${ticket.number} ${ticket.title}`;
    const fields: [string, string][] = [
      ["Status", `${ticket.status.name} (${words(ticket.status.category)})`],
      ["Priority", words(ticket.priority)],
      ["Type", words(ticket.type)],
      ["Impact", words(ticket.impact)],
      ["Assignee", ticket.assignee?.name ?? "unassigned"],
      ["Team", ticket.team?.name ?? "none"],
      ["Waiting on", words(ticket.activityStatus)],
      ["Tags", ticket.tags.map((tag) => tag.name).join(", ") || "none"],
      ["Opened", when(ticket.createdAt)],
    ];
    details.replaceChildren(...fields.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)]));
    description.textContent = ticket.description;
  }

  function showRequester(person: Ticket["requester"]): void {
    const line = (label: string, value: string | undefined | null) =>
      value ? [h("dt", {}, label), h("dd", {}, value)] : [];
    requester.replaceChildren(
      h("h2", {}, "Requester"),
      h("p", { class: "person" }, h("strong", {}, person.name), person.jobTitle ? ` ${person.jobTitle}` : ""),
      h("dl", {},
        ...line("Email", person.email),
        ...line("Phone", person.phone),
        ...line("Mobile", person.mobile),
        ...line("Customer", person.customer?.name),
        ...line("Site", person.site?.name),
        ...line("Department", person.department?.name),
      ),
      ...(person.contracts.length ? [h("h3", {}, "Contracts")] : []),
      h("ul", {}, person.contracts.map((contract) =>
        h("li", {}, `${contract.name} (${words(contract.type)}${contract.active ? "" : ", ended"})`))),
      ...(person.devices.length ? [h("h3", {}, "Devices")] : []),
      h("ul", {}, person.devices.map((device) =>
        h("li", {}, `${device.name} ${device.os} `, h("span", { class: device.online ? "online" : "offline" }, device.online ? "online" : "offline")))),
      h("h3", {}, "Recent tickets"),
      h("ul", {}, person.recentTickets.map((ticket) =>
        h("li", {}, link(`/tickets/${ticket.number}`, `#${ticket.number} ${ticket.title}`), ` ${ticket.status.name}`))),
    );
  }

  function showConversation(): void {
    conversation.replaceChildren(
      ...comments.map((comment) =>
        h("li", { class: `comment ${comment.kind === "INTERNAL_NOTE" ? "note" : "reply"}`, "data-kind": comment.kind },
          h("div", { class: "meta" },
            h("strong", {}, comment.author?.name ?? "someone"),
            ` ${comment.kind === "INTERNAL_NOTE" ? "internal note" : "reply"} via ${words(comment.channel)}, ${when(comment.createdAt)}`,
            comment.isResolution ? h("span", { class: "badge" }, "resolution") : null,
          ),
          h("div", { class: "text" }, comment.text),
          comment.attachments.length
            ? h("ul", { class: "files" }, comment.attachments.map((file) => h("li", {}, `${file.filename} (${file.size} bytes)`)))
            : null,
        ),
      ),
    );
    if (!comments.length) conversation.append(h("li", { class: "empty" }, "Nothing yet."));
  }

  function showActivity(): void {
    log.replaceChildren(
      ...activity.map((entry) =>
        h("li", {},
          h("span", { class: "when" }, when(entry.createdAt)),
          ` ${entry.actor?.name ?? "deskql"}: ${words(entry.kind)}`,
          entry.field ? ` ${entry.field}: ${entry.oldValue ?? "none"} → ${entry.newValue ?? "none"}` : "",
        ),
      ),
    );
  }

  function composer(): HTMLElement {
    let mode: "reply" | "note" = "reply";
    let typingEnds = 0;
    const text = h("textarea", { rows: 4, name: "body", "aria-label": "Reply", placeholder: "Write a reply to the requester" });
    const send = h("button", { type: "submit" }, "Send reply");
    const failed = h("p", { class: "error", role: "alert" });
    const tab = (label: string, value: typeof mode) =>
      h("button", {
        type: "button",
        role: "tab",
        "aria-selected": String(value === mode),
        onclick: () => choose(value),
      }, label);
    const tabs = staff ? h("div", { role: "tablist" }, tab("Reply", "reply"), tab("Internal note", "note")) : null;
    const choose = (value: typeof mode) => {
      mode = value;
      for (const button of tabs?.querySelectorAll("button") ?? []) {
        button.setAttribute("aria-selected", String(button.textContent === (mode === "note" ? "Internal note" : "Reply")));
      }
      const note = mode === "note";
      text.setAttribute("aria-label", note ? "Internal note" : "Reply");
      text.placeholder = note ? "Write a note for technicians (the requester never sees it)" : "Write a reply to the requester";
      text.classList.toggle("note", note);
      send.textContent = note ? "Add note" : "Send reply";
      if (text.value) typing();
    };
    const typing = () => {
      presence?.set(mode === "note" ? "TYPING_NOTE" : "TYPING_REPLY");
      window.clearTimeout(typingEnds);
      typingEnds = window.setTimeout(() => presence?.set("VIEWING"), TYPING_ENDS_AFTER_MS);
    };
    text.addEventListener("input", typing);
    stops.push(() => window.clearTimeout(typingEnds));
    const fields = h("fieldset", {}, tabs, text, h("div", {}, send));
    const submit = async (event: Event) => {
      event.preventDefault();
      failed.textContent = "";
      const input = { ticketId, body: paragraphs(text.value) };
      fields.disabled = true; // until deskql answers: the text is cleared only once it is saved
      try {
        const outcome = mode === "note"
          ? (await request(AddNote, { input })).addInternalNote
          : (await request(AddReply, { input })).addPublicReply;
        if (outcome.__typename !== "AddCommentSuccess") {
          failed.textContent = "message" in outcome ? outcome.message : "Not saved.";
          return;
        }
        if ("comment" in outcome) addComment(outcome.comment);
        text.value = "";
        window.clearTimeout(typingEnds);
        presence?.set("VIEWING");
      } catch (error) {
        failed.textContent = String(error);
      } finally {
        fields.disabled = false;
      }
    };
    return h("form", { class: "composer", "data-testid": "composer", onsubmit: submit }, fields, failed);
  }

  async function start(): Promise<void> {
    const { ticketByNumber } = await request(TicketId, { number });
    if (left) return;
    if (!ticketByNumber) {
      problem.textContent = `There is no ticket #${number} you may see.`;
      return;
    }
    ticketId = ticketByNumber.id;
    stops.push(
      subscribe(TicketEvents, { ticketId }, ({ ticketUpdated: event }) => {
        if (event.kind === "SNAPSHOT" || event.kind === "RESYNC") void load();
        else if (loaded) apply(event);
        else waiting.push(event);
      }, (error: ApiError) => {
        problem.textContent = error.message;
      }),
    );
    // Opening marks the ticket read (for its requester too) and, for a technician with the account's
    // autoStartTimer, starts the timer: once per tab, so that a reload does not resume a timer paused on
    // purpose.
    const opened = `deskql.opened.${ticketId}`;
    if (!sessionStorage.getItem(opened)) {
      sessionStorage.setItem(opened, "1");
      await request(OpenTicket, { input: { ticketId } });
    }
    if (!staff || left) return;
    presence = presenceBar(presenceArea, ticketId);
    stops.push(presence.stop, timerBar(timerArea, ticketId));
  }

  start().catch((error: unknown) => {
    problem.textContent = String(error);
  });
  return () => {
    left = true;
    for (const stop of stops) stop();
  };
}

function select(label: string, options: Record<string, string>, changed: (value: string) => void): HTMLLabelElement {
  const element = h("select", { onchange: (event: Event) => changed((event.target as HTMLSelectElement).value) },
    ...Object.entries(options).map(([value, text]) => h("option", { value }, text)));
  return h("label", { class: "control" }, `${label} `, element);
}

/** The reply box's plain text as the HTML body deskql takes: paragraphs and line breaks, escaped. */
function paragraphs(text: string): string {
  const escape = (value: string) =>
    value.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
  return text
    .trim()
    .split(/\n\s*\n/)
    .map((paragraph) => `<p>${escape(paragraph).replaceAll("\n", "<br>")}</p>`)
    .join("");
}
