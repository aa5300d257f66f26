import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { getFixture } from "../../src/payload/index.js";
import { startServer } from "../helpers/server.js";

// Two apps sharing one delivery log (same folder, same default file): the second one cannot run the first one's
// deliveries, so replaying one of them says so instead of leaving it queued.
describe("replaying a delivery for an endpoint this server does not serve", () => {
  let dir: string;
  let id: string;
  let other: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "hubhooks-not-served-"));
    const database = join(dir, "hubhooks.db");
    const first = await startServer({ database }, (app) => app.addWebhook("train", () => ({ trained: true })));
    const sent = await first.post("/webhooks/train", getFixture("repo.create"));
    id = ((await sent.json()) as { deliveryId?: string }).deliveryId ?? "";
    if (!id) {
      const list = (await (await fetch(`${first.info.localUrl}/api/deliveries`)).json()) as { items: { id: string }[] };
      id = list.items[0]!.id;
    }
    await first.close();
    other = await startServer({ database }, (app) => app.addWebhook("bot", () => ({ ok: true })));
  });
  afterAll(async () => {
    await other?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const message = () =>
    `Delivery ${id} is for endpoint train, which this server does not serve (it serves: bot); it would stay queued. Replay it from the app that has that endpoint.`;

  it("API: 409 with the reason, and the delivery is left as it was", async () => {
    const response = await fetch(`${other.info.localUrl}/api/deliveries/${id}/replay`, { method: "POST" });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: message() });
    const detail = (await (await fetch(`${other.info.localUrl}/api/deliveries/${id}`)).json()) as { delivery: { status: string } };
    expect(detail.delivery.status).toBe("succeeded");
  });

  it("dashboard: the Replay button gets the same 409", async () => {
    const response = await fetch(`${other.info.localUrl}/dashboard/replay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", origin: other.info.localUrl },
      body: `id=${id}`,
    });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: message() });
  });

  it("CLI: hubhooks deliveries replay prints it in one line and exits 1", async () => {
    let stdout = "";
    let stderr = "";
    const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env: {}, cwd: dir };
    const code = await main(["deliveries", "replay", id, "--url", other.info.localUrl], io);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toBe(`hubhooks: POST /api/deliveries/${id}/replay answered 409: ${message()}\n`);
  });
});
