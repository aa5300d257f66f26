import { pino } from "pino";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import type { WebhooksServerOptions } from "../../src/server/options.js";

export const silentLogger = pino({ level: "silent" });

/** A real listening server on 127.0.0.1 with captured banner lines and a silent logger. */
export async function startServer(
  options: WebhooksServerOptions = {},
  setup: (app: WebhooksServer) => void = () => {},
) {
  const lines: string[] = [];
  const app = new WebhooksServer({
    print: (line) => lines.push(line),
    logger: silentLogger,
    handleSignals: false,
    env: {},
    database: ":memory:",
    ...options,
  });
  setup(app);
  const info = await app.launch({ port: 0, host: "127.0.0.1" });
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(info.localUrl + path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });
  return { app, info, lines, post, close: () => app.close() };
}
