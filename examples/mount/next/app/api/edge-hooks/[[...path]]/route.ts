// Next.js App Router on the Edge runtime (Vercel Edge Functions): app/api/edge-hooks/[[...path]]/route.ts.
// No file system and no node:sqlite there: handlers run in the request (database: false), the secret is compared with
// Web Crypto, and an "accepted" endpoint answers 202 and works in after().
import { after } from "next/server";
import { nextRouteHandler } from "hubhooks/next";
import { WebhooksServer } from "hubhooks";

export const runtime = "edge";

const hooks = new WebhooksServer({ basePath: "/api/edge-hooks", database: false }); // WEBHOOK_SECRET from process.env
hooks.addWebhook("train", (payload, ctx) => ({ repo: payload.repo.name, url: ctx.request.url }));
hooks.addWebhook("notify", { mode: "accepted" }, async (payload, ctx) => {
  const sent = await fetch(process.env.NOTIFY_URL!, { method: "POST", body: JSON.stringify({ repo: payload.repo.name }) });
  ctx.logger.info({ status: sent.status }, "notified");
});

export const { GET, POST, HEAD } = nextRouteHandler(hooks, { after });
