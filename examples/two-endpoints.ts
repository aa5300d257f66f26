// Two endpoints served by one implicit server.
// Run: npx hubhooks serve examples/two-endpoints.ts   (or: npm run example:two)
import { webhookEndpoint } from "hubhooks";

webhookEndpoint("say_hello", async () => ({ message: "hello" }));

webhookEndpoint("say_goodbye", async (payload) => ({ message: `goodbye from ${payload.repo.name}` }));
