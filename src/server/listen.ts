import { createServer, type RequestListener, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { HubhooksError } from "../errors.js";

/**
 * Start a Node HTTP server for a web-standard `fetch` handler, or for `listener` when given (a Node request
 * listener that serves the same app, such as `launch()`'s fast path); resolves once it listens.
 */
export async function listen(
  fetch: (request: Request) => Promise<Response>,
  port: number,
  host: string,
  listener?: RequestListener,
): Promise<{ server: Server; port: number }> {
  const server = listener ? createServer(listener) : (createAdaptorServer({ fetch }) as Server);
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off("listening", onListening);
      const reason = error.code === "EADDRINUSE" ? `port ${port} is already in use` : error.message;
      reject(new HubhooksError("INVALID_OPTIONS", `Cannot listen on ${host}:${port}: ${reason}.`, { cause: error }));
    };
    const onListening = () => {
      server.off("error", onError);
      resolve();
    };
    server.once("error", onError);
    server.once("listening", onListening);
    server.listen(port, host);
  });
  return { server, port: (server.address() as AddressInfo).port };
}

/** The URL a person on this machine opens for a listening address. */
export function localUrlFor(host: string, port: number): string {
  const shown = host === "0.0.0.0" ? "127.0.0.1" : host === "::" ? "::1" : host;
  return `http://${shown.includes(":") ? `[${shown}]` : shown}:${port}`;
}

/** Stop accepting connections, let in-flight requests finish, then drop what is left. */
export async function stopServer(server: Server, waitForRequests: Promise<void>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await waitForRequests;
  server.closeAllConnections();
  await closed;
}
