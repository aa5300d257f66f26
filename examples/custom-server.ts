// An explicit server with a custom UI and a secret, launched by the script itself.
// Run: node --import hubhooks/register examples/custom-server.ts   (or: npm run example:custom)
import { Hono } from "hono";
import { WebhooksServer } from "hubhooks";

const ui = new Hono().get("/", (c) => c.html("<h1>My webhooks app</h1><p>Send events to /webhooks/say_hello.</p>"));

const app = new WebhooksServer({ ui, webhookSecret: process.env.WEBHOOK_SECRET ?? "my_secret_key" });

app.addWebhook("say_hello", async (payload, ctx) => {
  ctx.logger.info({ repo: payload.repo.name }, "hello");
  return { message: "hello" };
});

// Event routes: each handler gets a payload narrowed to its event.
app
  .addWebhook("bot")
  .on("discussion.comment.create", { repoType: "model" }, (payload) => ({ echo: payload.comment.content ?? "" }))
  .on("repo.content.update", (payload) => ({ head: payload.repo.headSha }));

await app.launch();
