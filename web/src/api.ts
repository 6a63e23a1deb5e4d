// deskql over HTTP (queries, mutations) and one websocket per signed-in tab (subscriptions, graphql-ws).
import { type Client, createClient } from "graphql-ws";
import type { TypedDocumentString } from "./generated/graphql";

const TOKEN = "deskql.token";
const endpoint = new URL("/graphql", window.location.href);
const socketUrl = new URL(endpoint);
socketUrl.protocol = endpoint.protocol === "https:" ? "wss:" : "ws:";

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

let signedOut: () => void = () => {};

/** What to do when deskql no longer takes the token (revoked, or signed out in another tab). */
export function onSignedOut(handler: () => void): void {
  signedOut = handler;
}

export function token(): string | null {
  return localStorage.getItem(TOKEN);
}

export function keep(newToken: string): void {
  localStorage.setItem(TOKEN, newToken);
}

export function forget(): void {
  localStorage.removeItem(TOKEN);
  socket?.dispose();
  socket = null;
}

type GraphQLError = { message: string; extensions?: { code?: string } };

function failed(errors: readonly GraphQLError[]): ApiError {
  const code = errors[0]?.extensions?.code;
  if (code === "UNAUTHENTICATED") {
    forget();
    signedOut();
  }
  return new ApiError(errors.map((error) => error.message).join("; "), code);
}

export async function request<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const bearer = token();
  const response = await fetch(endpoint, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json;q=0.9",
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  const body = (await response.json()) as { data?: Result | null; errors?: GraphQLError[] };
  if (body.errors?.length) throw failed(body.errors);
  if (body.data == null) throw new ApiError(`HTTP ${response.status}`, undefined);
  return body.data;
}

let socket: Client | null = null;

function connection(): Client {
  socket ??= createClient({
    url: socketUrl.href,
    connectionParams: () => ({ authorization: `Bearer ${token() ?? ""}` }),
    retryAttempts: 10,
  });
  return socket;
}

/** Runs the subscription until the returned function is called. After a lost connection graphql-ws
 * connects again and subscribes anew: each subscription then starts over (a SNAPSHOT, a fresh roster). */
export function subscribe<Result, Variables>(
  document: TypedDocumentString<Result, Variables>,
  variables: Variables,
  next: (data: Result) => void,
  error: (problem: ApiError) => void = console.error,
): () => void {
  return connection().subscribe<Result>(
    { query: document.toString(), variables: variables as Record<string, unknown> },
    {
      next: (result) => {
        if (result.errors?.length) error(failed(result.errors));
        else if (result.data) next(result.data);
      },
      error: (problem) => error(new ApiError(problem instanceof Error ? problem.message : "connection lost", undefined)),
      complete: () => {},
    },
  );
}
