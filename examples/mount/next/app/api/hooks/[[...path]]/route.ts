// Next.js App Router: app/api/hooks/[[...path]]/route.ts serves /api/hooks and everything under it.
import { after } from "next/server";
import { nextRouteHandler } from "hubhooks/next";
import { WebhooksServer } from "hubhooks";

const hooks = new WebhooksServer({ basePath: "/api/hooks", database: process.env.DATABASE_URL });
hooks.addWebhook("train", (payload, ctx) => ({ repo: payload.repo.name, url: ctx.request.url }));
// Once per server instance: pending deliveries resume without a request. Not while `next build` loads the module.
if (process.env.NEXT_PHASE !== "phase-production-build") await hooks.start();

// `after` keeps the function alive after the answer until the deliveries it received have run.
export const { GET, POST, HEAD } = nextRouteHandler(hooks, { after });
