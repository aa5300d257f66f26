// Fastify 5. Run: PORT=3000 node --import hubhooks/register examples/mount/fastify.ts
import Fastify from "fastify";
import { hubhooksFastify } from "hubhooks/fastify";
import { WebhooksServer } from "hubhooks";

const hooks = new WebhooksServer({ basePath: "/api/hooks" });
hooks.addWebhook("train", (payload, ctx) => ({ repo: payload.repo.name, url: ctx.request.url }));
const app = Fastify();
app.register(hubhooksFastify(hooks)); // /api/hooks/*, bodies unparsed within the plugin only
app.get("/", async () => "my app");
await hooks.start();
const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: "127.0.0.1" });
console.log(`Listening on ${url}/api/hooks`);
process.once("SIGTERM", () => void app.close().then(() => hooks.close()));
