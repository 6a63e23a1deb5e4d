// Who else is on the ticket, and doing what: `ticketPresence` joins the ticket and yields the roster on
// every change; `setPresenceState` says this tab is typing a reply or a note, or just viewing.
import { request, subscribe } from "./api";
import { h, initials, words } from "./dom";
import type { PresenceState, PresenceSubscription } from "./generated/graphql";
import { Presence as PresenceRoster, SetPresence } from "./operations";

type Collaborator = PresenceSubscription["ticketPresence"]["collaborators"][number];

export type Presence = { stop: () => void; set: (state: PresenceState) => void };

export function presenceBar(container: HTMLElement, ticketId: string): Presence {
  let sessionId: string | null = null;
  let current: PresenceState = "VIEWING";

  const stop = subscribe(PresenceRoster, { ticketId }, ({ ticketPresence }) => {
    if (ticketPresence.sessionId !== sessionId) {
      sessionId = ticketPresence.sessionId; // a new websocket joins afresh, as VIEWING
      current = "VIEWING";
    }
    container.replaceChildren(h("span", { class: "label" }, "On this ticket"), ...ticketPresence.collaborators.map(avatar));
  }, (problem) => {
    container.replaceChildren(h("span", { class: "error" }, `Presence: ${problem.message}`));
  });

  const set = (state: PresenceState) => {
    if (state === current || sessionId === null) return;
    current = state;
    request(SetPresence, { input: { ticketId, state, sessionId } }).catch(console.error);
  };
  return { stop, set };
}

function avatar(collaborator: Collaborator): HTMLElement {
  const { name, avatarUrl } = collaborator.technician;
  const state = collaborator.state;
  const picture = avatarUrl
    ? h("img", { src: avatarUrl, alt: "", onerror: (event: Event) => (event.target as HTMLElement).remove() })
    : null;
  return h("span", {
    class: `avatar ${state.toLowerCase()}`,
    "data-name": name,
    "data-state": state,
    title: `${name}${collaborator.isViewer ? " (you)" : ""}: ${words(state)}`,
  }, h("span", { class: "face" }, initials(name), picture), h("small", {}, collaborator.isViewer ? "you" : words(state)));
}
