import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BIN, runMain, runProcess } from "../helpers/cli.js";
import { startFakeHub, type FakeHub } from "../helpers/fake-hub.js";

const TOKEN = "hf_cli_test_token";
const SECRET = "webhook-secret-value";

// In process through main(argv, io); the built CLI runs once, as a subprocess in a real terminal (the "y" case).
describe("hubhooks webhooks (against a local stand-in for the Hub)", () => {
  let hub: FakeHub;
  const cli = (args: string[], env: Record<string, string> = {}, input?: string) =>
    runMain(["webhooks", ...args], { env: { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url, ...env }, input });
  const only = () => {
    expect(hub.requests).toHaveLength(1);
    return hub.requests[0]!;
  };

  beforeAll(async () => {
    hub = await startFakeHub({ token: TOKEN });
  });
  beforeEach(() => {
    hub.webhooks.clear();
    hub.webhooks.set("65aaaaaaaaaaaaaaaaaaaaaa", {
      id: "65aaaaaaaaaaaaaaaaaaaaaa",
      url: "https://me-bot.hf.space/webhooks/ci",
      watched: [{ type: "model", name: "me/my-model" }],
      domains: ["repo"],
      secret: SECRET,
      disabled: false,
    });
  });
  afterEach(() => {
    hub.requests.length = 0;
    hub.respond(undefined);
  });
  afterAll(() => hub.close());

  it("create --url sends POST /api/settings/webhooks with exactly {watched, url, domains, secret} (singular discussion)", async () => {
    const { code, stdout, stderr } = await cli([
      "create", "--watch", "model:me/my-model", "--watch", "org:my-org",
      "--url", "https://me-bot.hf.space/webhooks/ci", "--domain", "repo", "--domain", "discussion", "--secret", SECRET,
    ]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const req = only();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/api/settings/webhooks");
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body).toEqual({
      watched: [{ type: "model", name: "me/my-model" }, { type: "org", name: "my-org" }],
      url: "https://me-bot.hf.space/webhooks/ci",
      domains: ["repo", "discussion"],
      secret: SECRET,
    });
    const id = [...hub.webhooks.keys()].find((k) => k !== "65aaaaaaaaaaaaaaaaaaaaaa")!;
    expect(stdout).toBe(
      `Created webhook ${id}\n` +
        `id       ${id}\n` +
        "target   https://me-bot.hf.space/webhooks/ci\n" +
        "watched  model:me/my-model, org:my-org\n" +
        "domains  repo, discussion\n" +
        "secret   *** (set)\n" +
        "state    enabled\n",
    );
    expect(stdout).not.toContain(SECRET);
  });

  it("create --job-id sends {watched, jobSourceId} and nothing else", async () => {
    const { code } = await cli(["create", "--watch", "dataset:me/data", "--job-id", "68b0c0ffee"]);
    expect(code).toBe(0);
    expect(only().body).toEqual({ watched: [{ type: "dataset", name: "me/data" }], jobSourceId: "68b0c0ffee" });
  });

  it("ls, info: GET requests, secrets masked in table and JSON", async () => {
    const ls = await cli(["ls"]);
    expect(ls.code).toBe(0);
    expect(only()).toMatchObject({ method: "GET", path: "/api/settings/webhooks", body: undefined });
    expect(ls.stdout).toBe(
      "ID                        TARGET                               WATCHED            DOMAINS  STATE\n" +
        "65aaaaaaaaaaaaaaaaaaaaaa  https://me-bot.hf.space/webhooks/ci  model:me/my-model  repo     enabled\n",
    );
    const json = await cli(["ls", "--json"]);
    expect(JSON.parse(json.stdout)).toEqual([{ ...hub.webhooks.get("65aaaaaaaaaaaaaaaaaaaaaa"), secret: "***", state: "enabled" }]);
    hub.requests.length = 0;
    const info = await cli(["info", "65aaaaaaaaaaaaaaaaaaaaaa"]);
    expect(only()).toMatchObject({ method: "GET", path: "/api/settings/webhooks/65aaaaaaaaaaaaaaaaaaaaaa" });
    expect(info.stdout).toMatch(/^id +65aaaaaaaaaaaaaaaaaaaaaa\ntarget +https:\/\/me-bot\.hf\.space\/webhooks\/ci\n/);
    expect(info.stdout + json.stdout).not.toContain(SECRET);
  });

  it("ls, info, create: a secret in the webhook URL (the Hub's ?secret= form) is masked too", async () => {
    const url = `https://me-bot.hf.space/webhooks/ci?secret=${SECRET}`;
    hub.webhooks.set("65aaaaaaaaaaaaaaaaaaaaaa", { ...hub.webhooks.get("65aaaaaaaaaaaaaaaaaaaaaa")!, url });
    const outputs = [
      await cli(["ls"]),
      await cli(["ls", "--json"]),
      await cli(["info", "65aaaaaaaaaaaaaaaaaaaaaa"]),
      await cli(["info", "65aaaaaaaaaaaaaaaaaaaaaa", "--json"]),
      await cli(["create", "--watch", "model:me/my-model", "--url", url]),
    ];
    for (const { code, stdout, stderr } of outputs) {
      expect(code).toBe(0);
      expect(stdout + stderr).not.toContain(SECRET);
      expect(stdout).toContain("https://me-bot.hf.space/webhooks/ci?secret=***");
    }
  });

  it.each([
    [["--url", "https://new.example/webhooks/v2"], { url: "https://new.example/webhooks/v2" }],
    [["--domain", "discussion"], { domains: ["discussion"] }],
    [["--watch", "space:me/app", "--watch", "user:me"], { watched: [{ type: "space", name: "me/app" }, { type: "user", name: "me" }] }],
    [["--secret", "rotated"], { secret: "rotated" }],
  ])("update %j sends only those fields to POST /api/settings/webhooks/{id}", async (args, body) => {
    const { code, stdout } = await cli(["update", "65aaaaaaaaaaaaaaaaaaaaaa", ...args]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Updated webhook 65aaaaaaaaaaaaaaaaaaaaaa\n/);
    const req = only();
    expect(req).toMatchObject({ method: "POST", path: "/api/settings/webhooks/65aaaaaaaaaaaaaaaaaaaaaa" });
    expect(req.body).toEqual(body);
  });

  it.each(["enable", "disable"])("%s sends POST …/{id}/%s with no body", async (action) => {
    const { code, stdout } = await cli([action, "65aaaaaaaaaaaaaaaaaaaaaa"]);
    expect(code).toBe(0);
    const req = only();
    expect(req).toMatchObject({ method: "POST", path: `/api/settings/webhooks/65aaaaaaaaaaaaaaaaaaaaaa/${action}`, rawBody: "" });
    expect(req.headers["content-type"]).toBeUndefined();
    expect(stdout).toMatch(new RegExp(`^${action === "enable" ? "Enabled" : "Disabled"} webhook 65a{22}\n(.|\n)*^state +${action}d$`, "m"));
  });

  it("ls and info show the Hub's three states: enabled, disabled (true, or an unknown string with its value), suspended", async () => {
    const seed = hub.webhooks.get("65aaaaaaaaaaaaaaaaaaaaaa")!;
    hub.webhooks.set("65bbbbbbbbbbbbbbbbbbbbbb", { ...seed, id: "65bbbbbbbbbbbbbbbbbbbbbb", disabled: "suspended-after-failure" });
    hub.webhooks.set("65cccccccccccccccccccccc", { ...seed, id: "65cccccccccccccccccccccc", disabled: true });
    hub.webhooks.set("65dddddddddddddddddddddd", { ...seed, id: "65dddddddddddddddddddddd", disabled: "paused-by-staff" });
    const ls = await cli(["ls"]);
    expect(ls.code).toBe(0);
    expect(ls.stdout.split("\n").slice(1, 5).map((line) => line.split(/ {2,}/).at(-1))).toEqual([
      "enabled", "suspended", "disabled", "disabled (paused-by-staff)",
    ]);
    const info = await cli(["info", "65bbbbbbbbbbbbbbbbbbbbbb"]);
    expect(info.stdout).toMatch(/^state +suspended \(the Hub stopped it after failed deliveries; fix the cause, then: hubhooks webhooks enable 65b{22}\)$/m);
    const json = await cli(["info", "65bbbbbbbbbbbbbbbbbbbbbb", "--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ disabled: true, state: "suspended", disabledReason: "suspended-after-failure" });
  });

  it("replay <webhookId> <logId>: POST …/replay/{logId}; the Hub sends the delivery again and answers {status}", async () => {
    const received: Array<{ secret: string | undefined; id: string | undefined; body: string }> = [];
    const { createServer } = await import("node:http");
    const target = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        received.push({ secret: req.headers["x-webhook-secret"] as string, id: req.headers["webhook-id"] as string, body });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    try {
      const port = (target.address() as { port: number }).port;
      hub.webhooks.get("65aaaaaaaaaaaaaaaaaaaaaa")!.url = `http://127.0.0.1:${port}/webhooks/ci`;
      hub.webhookLogs.set("66log0000000000000000001", { webhookId: "65aaaaaaaaaaaaaaaaaaaaaa", payload: { event: { action: "update", scope: "repo" } } });
      const ok = await cli(["replay", "65aaaaaaaaaaaaaaaaaaaaaa", "66log0000000000000000001"]);
      expect(ok).toEqual({ code: 0, stdout: "Replayed log 66log0000000000000000001 of webhook 65aaaaaaaaaaaaaaaaaaaaaa: the target answered 202\n", stderr: "" });
      expect(hub.requests[0]).toMatchObject({ method: "POST", path: "/api/settings/webhooks/65aaaaaaaaaaaaaaaaaaaaaa/replay/66log0000000000000000001" });
      expect(received).toEqual([{ secret: SECRET, id: "66log0000000000000000001", body: '{"event":{"action":"update","scope":"repo"}}' }]);
    } finally {
      target.closeAllConnections();
      await new Promise((resolve) => target.close(resolve));
    }
  });

  it("replay of an unknown log id: the Hub's 404 becomes one clear line and exit 1", async () => {
    const missing = await cli(["replay", "65aaaaaaaaaaaaaaaaaaaaaa", "66nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toBe(
      "hubhooks: the Hub has no log 66nope to replay for webhook 65aaaaaaaaaaaaaaaaaaaaaa (the Hub says: Webhook log not found): the log id is unknown (copy it from the webhook's Activity tab), or replaying is not available for this webhook\n",
    );
  });

  it("delete --yes sends DELETE /api/settings/webhooks/{id}", async () => {
    const { code, stdout } = await cli(["delete", "65aaaaaaaaaaaaaaaaaaaaaa", "--yes"]);
    expect(code).toBe(0);
    expect(stdout).toBe("Deleted webhook 65aaaaaaaaaaaaaaaaaaaaaa\n");
    expect(only()).toMatchObject({ method: "DELETE", path: "/api/settings/webhooks/65aaaaaaaaaaaaaaaaaaaaaa", rawBody: "" });
    expect(hub.webhooks.has("65aaaaaaaaaaaaaaaaaaaaaa")).toBe(false);
  });

  it("delete without --yes and without a terminal refuses in one line, sending nothing", async () => {
    const { code, stdout, stderr } = await cli(["delete", "65aaaaaaaaaaaaaaaaaaaaaa"], {}, "y\n");
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe("hubhooks: Refusing to delete webhook 65aaaaaaaaaaaaaaaaaaaaaa without confirmation: no terminal to ask; pass --yes\n");
    expect(hub.requests).toHaveLength(0);
  });

  // `script` gives the CLI a real pseudo-terminal as stdin; what we pipe into `script` is what the user types.
  const inTerminal = (answer: string) =>
    runProcess("script", ["-qec", `"${process.execPath}" "${BIN}" webhooks delete 65aaaaaaaaaaaaaaaaaaaaaa`, "/dev/null"], {
      env: { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url },
      input: answer,
    });

  it("delete in a terminal asks y/N: 'y' deletes", async () => {
    const { code, stdout } = await inTerminal("y\n");
    expect(stdout).toContain("Delete webhook 65aaaaaaaaaaaaaaaaaaaaaa? [y/N] ");
    expect(stdout).toContain("Deleted webhook 65aaaaaaaaaaaaaaaaaaaaaa");
    expect(code).toBe(0);
    expect(only()).toMatchObject({ method: "DELETE", path: "/api/settings/webhooks/65aaaaaaaaaaaaaaaaaaaaaa" });
  });

  it("delete in a terminal asks y/N: anything else aborts with exit 1", async () => {
    // In process with a TTY stdin; the terminal merges stdout and stderr as `script` does.
    const result = await runMain(["webhooks", "delete", "65aaaaaaaaaaaaaaaaaaaaaa"], { env: { HF_TOKEN: TOKEN, HF_ENDPOINT: hub.url }, input: "n\n", terminal: true });
    const { code } = result;
    const stdout = result.stderr + result.stdout;
    expect(stdout).toContain("Delete webhook 65aaaaaaaaaaaaaaaaaaaaaa? [y/N] ");
    expect(stdout).toContain("Aborted.");
    expect(code).toBe(1);
    expect(hub.requests).toHaveLength(0);
    expect(hub.webhooks.has("65aaaaaaaaaaaaaaaaaaaaaa")).toBe(true);
  });

  it("shows the Hub's error message as the Hub wrote it, with the HTTP status", async () => {
    const missing = await cli(["info", "nope"]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toBe("hubhooks: Hub API GET /api/settings/webhooks/nope failed with 404: Webhook not found\n");

    hub.respond(() => ({ status: 400, body: { error: "Webhook URL must use https (got http://x)" } }));
    const bad = await cli(["create", "--watch", "model:me/m", "--url", "http://x", "--secret", SECRET]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("hubhooks: Hub API POST /api/settings/webhooks failed with 400: Webhook URL must use https (got http://x)\n");

    hub.respond(() => ({ status: 403, body: "You don't have the rights\nto do this" }));
    const text = await cli(["disable", "65aaaaaaaaaaaaaaaaaaaaaa"]);
    expect(text.stderr).toBe("hubhooks: Hub API POST /api/settings/webhooks/65aaaaaaaaaaaaaaaaaaaaaa/disable failed with 403: You don't have the rights to do this\n");

    hub.respond(undefined);
    const wrongToken = await cli(["ls"], { HF_TOKEN: "hf_wrong" });
    expect(wrongToken.stderr).toBe("hubhooks: Hub API GET /api/settings/webhooks failed with 401: Invalid credentials in Authorization header\n");
    expect(wrongToken.stderr).not.toContain("hf_wrong");
  });

  it.each([
    [["ls"], { HF_TOKEN: "", HF_HOME: "/nonexistent-hf-home" }, /^hubhooks: No Hugging Face token: run `hf auth login` \(it saves one in \/nonexistent-hf-home\/token\) or set HF_TOKEN to a token allowed to manage your webhooks/],
    [["delete", "x"], { HF_TOKEN: "", HF_HOME: "/nonexistent-hf-home" }, /^hubhooks: No Hugging Face token: run `hf auth login`/],
    [["create", "--watch", "model:a/b", "--url", "https://x.example", "--domain", "discussions"], {}, /^error: option '--domain <domain>' argument 'discussions' is invalid\. Use repo or discussion \(singular\)\.$/],
    [["create", "--watch", "repo:a/b", "--url", "https://x.example"], {}, /^error: option '--watch <type:name>' argument 'repo:a\/b' is invalid\. Invalid watched item "repo:a\/b": unknown type "repo"/],
    [["create", "--url", "https://x.example"], {}, /^hubhooks: Pass at least one --watch type:name/],
    [["create", "--watch", "org:x"], {}, /^hubhooks: Pass exactly one of --url or --job-id$/],
    [["create", "--watch", "org:x", "--url", "https://x.example", "--job-id", "j"], {}, /^hubhooks: Pass exactly one of --url or --job-id$/],
    [["update", "65aaaaaaaaaaaaaaaaaaaaaa"], {}, /^hubhooks: Nothing to update: pass --watch, --url, --domain and\/or --secret$/],
    [["info"], {}, /^error: missing required argument 'id'$/],
  ])("fails in one line with exit 1 before any request: %j", async (args, env, message) => {
    const { code, stdout, stderr } = await cli(args, env);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr.trimEnd()).toMatch(message);
    expect(hub.requests).toHaveLength(0);
  });
});
