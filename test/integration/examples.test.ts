import { describe, expect, it } from "vitest";
import { fixture } from "../../src/payload/index.js";
import { withServerProcess } from "../helpers/spawn-server.js";

/** Run an example exactly as its npm script does (real subprocess) and POST one delivery to it. */
async function runExample(args: string[], post: { path: string; secret?: string }) {
  let result: { status: number; body: unknown } = { status: 0, body: null };
  const { out } = await withServerProcess(args, async (base) => {
    const res = await fetch(base + post.path, {
      method: "POST",
      headers: post.secret ? { "x-webhook-secret": post.secret } : {},
      body: JSON.stringify(fixture("repo.content.update", { repo: { type: "dataset" } })),
    });
    result = { status: res.status, body: await res.json() };
  });
  return { ...result, out };
}

describe("examples run with one command (real subprocesses)", () => {
  it("single-endpoint.ts: npm run example:single", async () => {
    const r = await runExample(["bin/hubhooks.js", "serve", "examples/single-endpoint.ts"], { path: "/webhooks/triggerTraining" });
    expect(r).toMatchObject({ status: 200, body: { training: "started for some-user/some-repo" } });
  });

  it("two-endpoints.ts: npm run example:two", async () => {
    const r = await runExample(["bin/hubhooks.js", "serve", "examples/two-endpoints.ts"], { path: "/webhooks/say_goodbye" });
    expect(r).toMatchObject({ status: 200, body: { message: "goodbye from some-user/some-repo" } });
    expect(r.out).toContain("/webhooks/say_hello\n");
  });

  it("custom-server.ts: npm run example:custom (custom UI and secret)", async () => {
    const args = ["--import", "hubhooks/register", "examples/custom-server.ts"];
    expect((await runExample(args, { path: "/webhooks/say_hello" })).status).toBe(401);
    const r = await runExample(args, { path: "/webhooks/bot", secret: "my_secret_key" });
    expect(r).toMatchObject({ status: 200, body: { head: "575db8b7a51b6f85eb06eee540738584589f131c" } });
  });

  it("server.ts: npm start", async () => {
    const r = await runExample(["bin/hubhooks.js", "serve", "examples/server.ts"], { path: "/webhooks/bot" });
    expect(r).toMatchObject({ status: 200, body: { newHead: "575db8b7a51b6f85eb06eee540738584589f131c" } });
  });
});
