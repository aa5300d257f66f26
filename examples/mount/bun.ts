// Bun. Run: PORT=3000 npx -y bun examples/mount/bun.ts   (database: false runs handlers in the request; use a
// postgres:// URL for a durable log: node:sqlite is Node's)
import { WebhooksServer } from "hubhooks";

const hooks = new WebhooksServer({ basePath: "/api/hooks", database: process.env.DATABASE_URL ?? false });
hooks.addWebhook("train", (payload, ctx) => ({ repo: payload.repo.name, url: ctx.request.url }));
await hooks.start();
const server = Bun.serve({ fetch: hooks.fetch, port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1" });
console.log(`Listening on http://127.0.0.1:${server.port}/api/hooks`);
process.once("SIGTERM", async () => (await server.stop(), await hooks.close(), process.exit(0)));
