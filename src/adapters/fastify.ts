import type { WebhooksServer } from "../server/webhooks-server.js";
import { createNodeMiddleware } from "../node/middleware.js";

/** The part of a Fastify 5 instance the plugin uses (typed here so `fastify` stays the app's dependency). */
interface FastifyLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, options: { parseAs: "buffer"; bodyLimit?: number }, parser: (req: unknown, body: Buffer, done: (error: Error | null, body?: Buffer) => void) => void): void;
  all(path: string, handler: (request: { raw: any; body?: unknown }, reply: { raw: any; hijack(): void }) => Promise<void>): void;
}

/**
 * A Fastify 5 plugin serving the app under its `basePath`: within the plugin's own context every body is kept as raw
 * bytes (the secret check and the stored delivery need them), and the request goes to `app.fetch` untouched.
 * @example
 * const hooks = new WebhooksServer({ basePath: "/hooks" });
 * fastify.register(hubhooksFastify(hooks));
 * await hooks.start();
 */
export function hubhooksFastify(app: WebhooksServer, options: { bodyLimit?: number } = {}) {
  const middleware = createNodeMiddleware(app);
  return async function hubhooksPlugin(fastify: FastifyLike): Promise<void> {
    fastify.removeAllContentTypeParsers();
    // One byte above our own limit: hubhooks answers 413 itself, with its JSON error.
    const bodyLimit = options.bodyLimit ?? 1024 * 1024 + 1;
    fastify.addContentTypeParser("*", { parseAs: "buffer", bodyLimit }, (_req, body, done) => done(null, body));
    const handler = async (request: { raw: any; body?: unknown }, reply: { raw: any; hijack(): void }) => {
      reply.hijack();
      if (Buffer.isBuffer(request.body)) request.raw.rawBody = request.body;
      await middleware(request.raw, reply.raw);
    };
    fastify.all(app.basePath || "/", handler);
    fastify.all(`${app.basePath}/*`, handler);
  };
}
