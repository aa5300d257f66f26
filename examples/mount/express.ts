// Express 5 with express.json() app-wide. Run: PORT=3000 node --import hubhooks/register examples/mount/express.ts
import express from "express";
import { createNodeMiddleware } from "hubhooks/node";
import { WebhooksServer } from "hubhooks";

const hooks = new WebhooksServer({ basePath: "/api/hooks" });
hooks.addWebhook("train", (payload, ctx) => ({ repo: payload.repo.name, url: ctx.request.url }));
const app = express();
// Keep the raw bytes for hubhooks (its secret check and log need them); req.body is parsed as usual.
app.use(express.json({ verify: (req, _res, buf) => void ((req as { rawBody?: Buffer }).rawBody = buf) }));
app.use(createNodeMiddleware(hooks)); // handles /api/hooks/*, next() for the rest
app.get("/", (_req, res) => void res.send("my app"));
await hooks.start(); // resumes pending deliveries now, not at the first request
const server = app.listen(Number(process.env.PORT ?? 3000), "127.0.0.1", () => {
  console.log(`Listening on http://127.0.0.1:${(server.address() as { port: number }).port}/api/hooks`);
});
process.once("SIGTERM", () => server.close(() => void hooks.close()));
