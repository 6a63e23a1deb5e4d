// deskql's GraphiQL: the graphiql package bundled with React, so the page loads nothing from a CDN.
// The query, variables and headers live in the address (?q=...&variables=...&headers=...; `query` would make
// it a GraphQL request over GET) so that a page can be shared or opened ready to run.
import "graphiql/style.css";
import { type Fetcher, createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createElement } from "react";
import { createRoot } from "react-dom/client";

const DEFAULT_QUERY = `# deskql: add the header {"Authorization": "Bearer <token>"} below
# (\`make run\` prints demo tokens), then run with Ctrl-Enter.
# Subscriptions run over a websocket with the same header.

query Me {
  viewer {
    account { name }
    technician { name role }
    requester { name }
  }
}
`;

const endpoint = new URL("/graphql", window.location.href);
const socket = new URL(endpoint);
socket.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

const parameters = new URLSearchParams(window.location.search);

function remember(name: string, value: string | undefined): void {
  if (value) parameters.set(name, value);
  else parameters.delete(name);
  history.replaceState(null, "", `?${parameters}`);
}

function lowercased(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
}

// The headers travel as HTTP headers, and as the websocket's connection_init payload for subscriptions,
// where deskql reads the key `authorization` in lower case.
const toolkit = createGraphiQLFetcher({ url: endpoint.href, subscriptionUrl: socket.href });
const fetcher: Fetcher = (params, options) =>
  toolkit(params, options && { ...options, headers: lowercased(options.headers) });

createRoot(document.getElementById("graphiql")!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultQuery: DEFAULT_QUERY,
    query: parameters.get("q") ?? undefined,
    variables: parameters.get("variables") ?? undefined,
    headers: parameters.get("headers") ?? undefined,
    onEditQuery: (value: string) => remember("q", value),
    onEditVariables: (value: string) => remember("variables", value),
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: true,
    defaultEditorToolsVisibility: true,
  }),
);
