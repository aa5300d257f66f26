import type { WebhooksServer } from "../server/webhooks-server.js";
import { createNodeMiddleware } from "../node/middleware.js";
import { checkAdapterApp } from "../server/check-adapter-app.js";

/** The part of a Fastify 5 instance the plugin uses (typed here so `fastify` stays the app's dependency). */
interface FastifyLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, parser: (req: unknown, payload: unknown, done: (error: Error | null, body?: unknown) => void) => void): void;
  all(path: string, handler: (request: { raw: any; body?: unknown }, reply: { raw: any; hijack(): void }) => Promise<void>): void;
}

/**
 * A Fastify 5 plugin serving the app under its `basePath`: within the plugin's own context no body is parsed, so the
 * request stream reaches `app.fetch` unread and hubhooks reads it under the server's own `bodyLimit` (refused on
 * `Content-Length` before reading, with its 413 JSON error), not under Fastify's 1 MiB.
 * @example
 * const hooks = new WebhooksServer({ basePath: "/hooks" });
 * fastify.register(hubhooksFastify(hooks));
 * await hooks.start();
 */
export function hubhooksFastify(app: WebhooksServer) {
  checkAdapterApp(app, "hubhooksFastify()");
  const middleware = createNodeMiddleware(app);
  return async function hubhooksPlugin(fastify: FastifyLike): Promise<void> {
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser("*", (_req, _payload, done) => done(null));
    const handler = async (request: { raw: any }, reply: { raw: any; hijack(): void }) => {
      reply.hijack();
      await middleware(request.raw, reply.raw);
    };
    fastify.all(app.basePath || "/", handler);
    fastify.all(`${app.basePath}/*`, handler);
  };
}
