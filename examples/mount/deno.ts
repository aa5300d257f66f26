// Deno. Run: PORT=3000 npx -y deno run -A examples/mount/deno.ts   (database: false, or a postgres:// URL)
import { WebhooksServer } from "hubhooks";

const hooks = new WebhooksServer({ basePath: "/api/hooks", database: Deno.env.get("DATABASE_URL") ?? false });
hooks.addWebhook("train", (payload, ctx) => ({ repo: payload.repo.name, url: ctx.request.url }));
await hooks.start();
const port = Number(Deno.env.get("PORT") ?? 3000);
const server = Deno.serve({ port, hostname: "127.0.0.1", onListen: ({ port }) => console.log(`Listening on http://127.0.0.1:${port}/api/hooks`) }, hooks.fetch);
Deno.addSignalListener("SIGTERM", async () => (await server.shutdown(), await hooks.close(), Deno.exit(0)));
