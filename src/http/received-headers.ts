import { NEVER_STORED_HEADERS } from "../internal/never-stored-headers.js";

/** The request headers a webhook delivery is read with, from a web `Request` or straight from Node's parser. */
export interface ReceivedHeaders {
  /** A header's value (lower-case name), or null. Repeated headers are joined with ", ". */
  get(name: string): string | null;
  /** Lower-cased headers without the secret and credentials (NEVER_STORED_HEADERS: never stored or shown). */
  forStorage(): Record<string, string>;
}

export type NodeHeaders = Record<string, string | string[] | undefined>;

const NOT_STORED = NEVER_STORED_HEADERS;

/**
 * The headers of a delivery. On Node, `@hono/node-server` hands the `IncomingMessage` along with the request; its
 * `headers` object is already parsed and lower-cased, and reading it skips building a web `Headers` per delivery.
 * @example
 * const headers = receivedHeaders(request, env?.incoming?.headers);
 * headers.get("webhook-id");
 */
export function receivedHeaders(request: Request, nodeHeaders?: NodeHeaders): ReceivedHeaders {
  if (!nodeHeaders) {
    return {
      get: (name) => request.headers.get(name),
      forStorage: () => {
        const out: Record<string, string> = {};
        request.headers.forEach((value, key) => {
          if (!NOT_STORED.has(key)) out[key] = value;
        });
        return out;
      },
    };
  }
  return nodeReceivedHeaders(nodeHeaders);
}

/**
 * The headers of a delivery read straight from Node's parsed (lower-cased) `IncomingMessage.headers`.
 * @example
 * const headers = nodeReceivedHeaders(req.headers);
 */
export function nodeReceivedHeaders(nodeHeaders: NodeHeaders): ReceivedHeaders {
  const joined = (value: string | string[] | undefined): string | null =>
    value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
  return {
    get: (name) => joined(nodeHeaders[name]),
    forStorage: () => {
      const out: Record<string, string> = {};
      for (const key in nodeHeaders) {
        const value = joined(nodeHeaders[key]);
        if (value !== null && !NOT_STORED.has(key)) out[key] = value;
      }
      return out;
    },
  };
}
