// The reference ticket page: what deskql's API is for, in a few hundred lines of plain TypeScript.
// Addresses: / (your tickets) and /tickets/<number> (the ticket page, DESKQL_APP_URL's links).
import "./style.css";
import { ApiError, forget, keep, onSignedOut, request, token } from "./api";
import { h, when, words } from "./dom";
import type { MeQuery } from "./generated/graphql";
import { Login, Logout, Me, TicketList } from "./operations";
import { go, link, onNavigate } from "./router";
import { ticketPage } from "./ticket";

export type Viewer = MeQuery["viewer"];

const DEMO_ACCOUNTS = [
  { who: "Alex Morgan, admin", email: "alex.morgan@northwind.example", password: "demo-technician" },
  { who: "Priya Shah, technician", email: "priya.shah@northwind.example", password: "demo-technician" },
  { who: "Marco Bianchi, technician", email: "marco.bianchi@northwind.example", password: "demo-technician" },
  { who: "Emma Fischer, end user", email: "emma.fischer@contoso.example", password: "demo-end-user" },
];

const app = document.getElementById("app")!;
let leave: () => void = () => {};
let visits = 0;

async function route(): Promise<void> {
  leave();
  leave = () => {};
  const visit = ++visits;
  if (!token()) {
    app.replaceChildren(loginForm());
    return;
  }
  try {
    const { viewer } = await request(Me, {});
    if (visit !== visits) return; // the address changed meanwhile
    const main = h("main");
    app.replaceChildren(header(viewer), main);
    const ticket = /^\/tickets\/(\d+)\/?$/.exec(window.location.pathname);
    if (ticket) leave = ticketPage(main, Number(ticket[1]), viewer);
    else await ticketList(main);
  } catch (problem) {
    // A token deskql no longer takes has already led to the sign-in form (a newer visit).
    if (visit === visits) app.replaceChildren(h("p", { class: "error", role: "alert" }, String(problem)));
  }
}

function header(viewer: Viewer): HTMLElement {
  const person = viewer.technician ?? viewer.requester;
  const role = viewer.technician ? words(viewer.technician.role) : "end user";
  return h(
    "header",
    { class: "bar" },
    link("/", h("strong", {}, "deskql")),
    h("span", {}, viewer.account.name),
    h("span", { class: "spacer" }),
    h("span", { "data-testid": "me" }, `${person?.name ?? ""} (${role})`),
    h("button", {
      type: "button",
      onclick: async () => {
        await request(Logout, {}).catch(() => undefined);
        forget();
        go("/");
      },
    }, "Sign out"),
  );
}

function loginForm(): HTMLElement {
  const email = h("input", { type: "email", name: "email", required: true, autocomplete: "username" });
  const password = h("input", { type: "password", name: "password", required: true, autocomplete: "current-password" });
  const problem = h("p", { class: "error", role: "alert" });
  const signIn = async (event?: Event) => {
    event?.preventDefault();
    problem.textContent = "";
    try {
      const { login } = await request(Login, { input: { email: email.value, password: password.value } });
      if (login.__typename !== "LoginSuccess") {
        problem.textContent = "message" in login ? login.message : "Could not sign in.";
        return;
      }
      keep(login.token);
      await route();
    } catch (error) {
      problem.textContent = error instanceof ApiError ? error.message : String(error);
    }
  };
  const demo = DEMO_ACCOUNTS.map((account) =>
    h("li", {}, h("button", {
      type: "button",
      onclick: () => {
        email.value = account.email;
        password.value = account.password;
        void signIn();
      },
    }, account.who), ` ${account.email} / ${account.password}`),
  );
  return h(
    "main",
    { class: "login" },
    h("h1", {}, "Sign in to deskql"),
    h("form", { onsubmit: signIn },
      h("label", {}, "Email", email),
      h("label", {}, "Password", password),
      h("button", { type: "submit" }, "Sign in"),
      problem,
    ),
    h("h2", {}, "Demo accounts"),
    h("p", {}, "Loaded by ", h("code", {}, "make run"), " (", h("code", {}, "deskql demo"), "):"),
    h("ul", { class: "demo" }, demo),
  );
}

async function ticketList(main: HTMLElement): Promise<void> {
  main.replaceChildren(h("p", {}, "Loading..."));
  const { tickets } = await request(TicketList, {});
  const rows = tickets.edges.map(({ node }) =>
    h("tr", {},
      h("td", {}, link(`/tickets/${node.number}`, `#${node.number}`)),
      h("td", {}, link(`/tickets/${node.number}`, node.title)),
      h("td", {}, node.status.name),
      h("td", {}, words(node.priority)),
      h("td", {}, node.requester.name),
      h("td", {}, node.assignee?.name ?? "unassigned"),
      h("td", {}, when(node.updatedAt)),
    ),
  );
  main.replaceChildren(
    h("h1", {}, "Tickets"),
    h("table", { class: "tickets" },
      h("thead", {}, h("tr", {}, ...["#", "Title", "Status", "Priority", "Requester", "Assignee", "Updated"].map((title) => h("th", {}, title)))),
      h("tbody", {}, rows),
    ),
  );
}

onSignedOut(() => go("/"));
onNavigate(() => void route());
void route();
