// Type-level tests: `npx tsc -p tsconfig.json --noEmit` (part of `npm run typecheck`) fails if an
// `@ts-expect-error` below stops being an error; vitest runs the runtime half.
import { describe, expect, expectTypeOf, it } from "vitest";
import { WebhooksServer, type EventSelector, type PayloadFor, type WebhookPayload } from "../../src/index.js";

describe("event names are checked", () => {
  it("a typo in a known scope or action is a type error and, at run time, an error naming the closest key; raw: reaches unknown events", async () => {
    const app = new WebhooksServer({ database: false, handleSignals: false, print: () => {} });
    const seen: string[] = [];
    const bot = app.addWebhook("bot");
    // @ts-expect-error "coment" is not a scope: a misspelt pattern is not a silent route
    expect(() => bot.on("discussion.coment.create", () => {})).toThrow(
      '[hubhooks] .on("discussion.coment.create"): unknown event "discussion.coment.create"; did you mean "discussion.comment.create"? An event hubhooks does not know yet is written "raw:discussion.coment.create".',
    );
    // @ts-expect-error unknown action on a known scope needs the raw: form
    expect(() => bot.on("repo.content.create", () => {})).toThrow('written "raw:repo.content.create"');
    // @ts-expect-error a list is checked element by element
    expect(() => bot.on(["repo.create", "repo.delet"], () => {})).toThrow('unknown event "repo.delet"; did you mean "repo.delete"?');
    // @ts-expect-error and with a route filter too
    expect(() => bot.on("discusion", { repoType: "model" }, () => {})).toThrow('unknown event "discusion"; did you mean "discussion"?');
    bot
      .on("raw:repo.config.dois", (p) => {
        expectTypeOf(p).toEqualTypeOf<WebhookPayload>();
        seen.push(`raw:${p.event.scope}`);
      })
      .on(["discussion.comment.create", "raw:space.hardware"], () => {});
    expectTypeOf<"raw:space.hardware.upgrade">().toExtend<EventSelector>();
    expectTypeOf<PayloadFor<"raw:discussion.comment">>().toEqualTypeOf<WebhookPayload>();
    const payload = { event: { action: "create", scope: "repo.config.dois" }, repo: { type: "model", name: "a/b", id: "1" } };
    const response = await app.fetch(
      new Request("http://localhost/webhooks/bot", { method: "POST", body: JSON.stringify(payload), headers: { "content-type": "application/json" } }),
    );
    expect(response.status).toBe(200);
    expect(seen).toEqual(["raw:repo.config.dois"]);
  });
});
