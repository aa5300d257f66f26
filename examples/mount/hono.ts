// Hono on Node. Run: PORT=3000 node --import hubhooks/register examples/mount/hono.ts
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { hubhooksHono } from "hubhooks/hono";
import { WebhooksServer } from "hubhooks";

const hooks = new WebhooksServer({ basePath: "/api/hooks" });
hooks.addWebhook("train", (payload, ctx) => ({ repo: payload.repo.name, url: ctx.request.url }));
const app = new Hono().get("/", (c) => c.text("my app"));
app.route("/api/hooks", hubhooksHono(hooks)); // the request reaches hubhooks unchanged
await hooks.start();
const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3000), hostname: "127.0.0.1" }, (info) => {
  console.log(`Listening on http://127.0.0.1:${info.port}/api/hooks`);
});
process.once("SIGTERM", () => server.close(() => void hooks.close()));
