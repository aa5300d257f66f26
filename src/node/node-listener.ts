import type { IncomingMessage, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import { plainResponse } from "../errors.js";
import { logAccess } from "../http/access-log.js";
import type { BodySource } from "../http/read-body.js";
import type { WebhooksServer } from "../server/webhooks-server.js";
import { readNodeBody } from "./read-node-body.js";

/** A `node:http` request listener. */
export type NodeListener = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/**
 * Node's request listener for a {@link WebhooksServer}. A POST to a registered endpoint takes the fast path: the
 * body and headers are read from `IncomingMessage` as Node parsed them, and the answer goes onto `ServerResponse`
 * as the status, headers and text it was made of, with no web `Request`/`Response` built or read on the way (that
 * conversion cost about a tenth of a delivery's CPU). Every other request (the dashboard, the API, an unknown route,
 * a 405) goes through `app.fetch` as on any other host, so both paths answer alike. One access line per request
 * either way.
 * @example
 * http.createServer(nodeListener(app)).listen(7860);
 */
export function nodeListener(app: WebhooksServer, body: (req: IncomingMessage) => BodySource = readNodeBody): NodeListener {
  const viaFetch = getRequestListener(app.fetch);
  return async (req, res) => {
    const started = performance.now();
    const rawUrl = req.url ?? "/";
    const secure = (req.socket as { encrypted?: boolean } | null)?.encrypted === true;
    const answer = app.nodeWebhook(req.method, rawUrl, req.headers, body(req), secure);
    if (!answer) return viaFetch(req, res) as Promise<void>;
    const response = await answer;
    const plain = plainResponse(response);
    try {
      if (plain) {
        res.writeHead(plain.status, { ...plain.headers, "content-length": Buffer.byteLength(plain.text) }).end(plain.text);
      } else {
        await writeResponse(res, response);
      }
    } catch (error) {
      // A handler's Response that cannot be written (a body stream that fails): never an unhandled rejection.
      app.logger.error({ err: error }, "could not write the response");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json; charset=utf-8" }).end('{"error":"Internal error."}');
      else res.destroy();
    }
    const query = rawUrl.indexOf("?");
    const webhookId = req.headers["webhook-id"];
    logAccess(app.logger, "POST", query < 0 ? rawUrl : rawUrl.slice(0, query), res.statusCode, started,
      plain ? plain.headers["x-hubhooks-delivery"] : response.headers.get("x-hubhooks-delivery"),
      webhookId === undefined ? null : String(webhookId));
  };
}

/** A handler's own `Response` (rare on a webhook route): headers as they are, the body buffered. */
async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie") headers[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) headers["set-cookie"] = cookies;
  const bytes = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  if (bytes && headers["content-length"] === undefined) headers["content-length"] = String(bytes.length);
  res.writeHead(response.status, headers).end(bytes);
}
