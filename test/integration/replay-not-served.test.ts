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
  let botId: string;
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
    await other.post("/webhooks/bot", getFixture("repo.create"));
    await other.app.queue!.drain();
    const list = (await (await fetch(`${other.info.localUrl}/api/deliveries?endpoint=bot`)).json()) as { items: { id: string }[] };
    botId = list.items[0]!.id;
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

  // Bulk replay: only this server's endpoints are replayed; the others are reported, and naming one is refused.
  const attempts = async (delivery: string) => (await other.app.store!.attempts(delivery)).length;
  const replayAll = (body: unknown) =>
    fetch(`${other.info.localUrl}/api/deliveries/replay`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  const unservedEndpoint =
    "Endpoint train is not served by this server (it serves: bot); its deliveries would stay queued. Replay them from the app that has that endpoint.";

  it("API bulk replay: replays the served endpoints' matches and reports the others per endpoint", async () => {
    const before = await attempts(botId);
    const response = await replayAll({ status: "succeeded" });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ replayed: 1, notServed: { train: 1 } });
    await other.app.queue!.drain();
    expect(await attempts(botId)).toBe(before + 1);
    expect(await attempts(id)).toBe(1);
    expect((await other.app.store!.get(id))!.status).toBe("succeeded");
  });

  it("API bulk replay: a filter naming an endpoint this server does not serve is refused with 409, nothing replayed", async () => {
    const response = await replayAll({ status: "succeeded", endpoint: "train" });
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({ error: unservedEndpoint });
    expect((await other.app.store!.get(id))!.status).toBe("succeeded");
    expect(await attempts(id)).toBe(1);
  });

  it("CLI: deliveries replay --all says which endpoints were not replayed; --endpoint train exits 1", async () => {
    const run = async (args: string[]) => {
      let stdout = "";
      let stderr = "";
      const io = { stdout: (t: string) => void (stdout += t), stderr: (t: string) => void (stderr += t), env: {}, cwd: dir };
      const code = await main(["deliveries", "replay", "--all", ...args, "--url", other.info.localUrl], io);
      return { code, stdout, stderr };
    };
    expect(await run(["--status", "succeeded"])).toEqual({
      code: 0,
      stdout: "Replayed 1 delivery.\nNot replayed, this server does not serve: train (1). Replay them from the app that has those endpoints.\n",
      stderr: "",
    });
    await other.app.queue!.drain();
    expect(JSON.parse((await run(["--status", "succeeded", "--json"])).stdout)).toEqual({ replayed: 1, notServed: { train: 1 } });
    await other.app.queue!.drain();
    expect(await run(["--status", "succeeded", "--endpoint", "train"])).toEqual({
      code: 1,
      stdout: "",
      stderr: `hubhooks: POST /api/deliveries/replay answered 409: ${unservedEndpoint}\n`,
    });
    expect(await attempts(id)).toBe(1);
  });

  it("dashboard: Replay all says which endpoints were not replayed", async () => {
    const response = await fetch(`${other.info.localUrl}/dashboard/replay-all`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json", origin: other.info.localUrl },
      body: "status=succeeded",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      message: "Replayed 1 delivery. Not replayed, this server does not serve: train (1).",
      replayed: 1,
      notServed: { train: 1 },
    });
    await other.app.queue!.drain();
    expect(await attempts(id)).toBe(1);
  });
});
