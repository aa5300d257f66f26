// The example `npm start` serves: http://127.0.0.1:7860 with no configuration needed.
import { webhookEndpoint } from "hubhooks";

webhookEndpoint("say_hello", async () => ({ message: "hello" }));

webhookEndpoint("bot")
  .on("discussion.comment.create", (payload) => ({ reply: `You said: ${payload.comment.content ?? "(hidden)"}` }))
  .on("repo.content.update", (payload) => ({ newHead: payload.repo.headSha }));
