import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import { ManualClock } from "../../src/internal/clock.js";
import { getFixture, type WebhookPayload } from "../../src/payload/index.js";
import { WebhooksServer } from "../../src/server/webhooks-server.js";
import { startServer } from "../helpers/server.js";

// Debounce and throttle on a real server and a real SQLite file, driven by a fake clock (no sleeping).
const cleanup: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});
const MINUTE = 60_000;
const sha = (n: number) => n.toString(16).padStart(40, "0");
const push = (n: number, repo = "some-user/some-repo") =>
  getFixture("repo.content.update", {
    set: { "repo.name": repo, "repo.headSha": sha(n), updatedRefs: [{ ref: "refs/heads/main", oldSha: sha(n - 1), newSha: sha(n) }] },
  });

async function server(database: string, clock: ManualClock, runs: string[], schedule: object, databaseSchema?: string, onEndpoint = false) {
  const trigger = { ref: "refs/heads/main", ...schedule };
  const run = (p: WebhookPayload) => void runs.push(`${p.repo.name}@${p.repo.headSha}`);
  const s = await startServer({ clock, database, ...(databaseSchema ? { databaseSchema } : {}) }, (app: WebhooksServer) =>
    // The same schedule on the endpoint itself (its own handler) or on a `.on()` route means the same.
    onEndpoint ? app.addWebhook("train", trigger, run) : app.addWebhook("train").on("repo.content.update", trigger, run),
  );
  return s;
}

const postgresUrl = inject("postgresUrl");
const sqliteFile = () => {
  const dir = mkdtempSync(join(tmpdir(), "hubhooks-debounce-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return { database: join(dir, "hubhooks.db") };
};
const logs: Array<[string, () => { database: string; schema?: string; onEndpoint?: boolean }]> = [
  ["a SQLite file", sqliteFile],
  ["a SQLite file, debounce on the endpoint", () => ({ ...sqliteFile(), onEndpoint: true })],
];
if (postgresUrl) logs.push(["Postgres", () => ({ database: postgresUrl, schema: `deb_${process.pid}_${Date.now().toString(36)}` })]);

describe("debounce", () => {
  it.each(logs)("a burst of 20 deliveries runs once, with the latest, after the quiet period, across a restart (%s); the others name it", async (_name, log) => {
    const { database, schema, onEndpoint } = log();
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const start = clock.now();
    const runs: string[] = [];
    const debounce = { debounce: { key: "repo", ms: 10 * MINUTE } };
    const first = await server(database, clock, runs, debounce, schema, onEndpoint);
    const ids: string[] = [];
    for (let n = 1; n <= 20; n++) {
      const res = await first.post("/webhooks/train", push(n));
      expect(res.status).toBe(202);
      const body = await res.json();
      expect(body).toMatchObject({ status: "queued", nextAttemptAt: clock.now() + 10 * MINUTE });
      ids.push(body.deliveryId);
      clock.advance(10_000);
    }
    // Another repo has its own schedule.
    const other = (await (await first.post("/webhooks/train", push(1, "other/repo"))).json()).deliveryId as string;
    expect(runs).toEqual([]);
    // The first one's time comes: a newer one is pending, so it waits for the one that will run.
    clock.set(start + 10 * MINUTE);
    await first.app.queue!.drain();
    expect(await first.app.store!.get(ids[0]!)).toMatchObject({
      status: "queued", nextAttemptAt: start + 190_000 + 10 * MINUTE,
      error: expect.stringMatching(new RegExp(`^superseded by ${ids[19]}, waiting for the delivery that runs`)),
    });
    expect(runs).toEqual([]);
    await first.close();

    // Restart on the same file: the schedule is in the log.
    const second = await server(database, clock, runs, debounce, schema, onEndpoint);
    cleanup.push(() => second.close());
    clock.set(start + 190_000 + 10 * MINUTE - 1);
    await second.app.queue!.drain();
    expect(runs).toEqual([]);
    clock.advance(1);
    await second.app.queue!.drain();
    expect(runs).toEqual(["some-user/some-repo@" + sha(20)]);
    const store = second.app.store!;
    expect(await store.get(ids[19]!)).toMatchObject({ status: "succeeded" });
    for (const id of ids.slice(0, 19)) {
      expect(await store.get(id)).toMatchObject({ status: "skipped", error: `superseded by ${ids[19]} (debounce 600000 ms)` });
    }
    expect(await store.get(other)).toMatchObject({ status: "queued" }); // its own quiet period is not over yet
    const history = await store.attempts(ids[0]!);
    expect(history.map((a) => a.outcome)).toEqual(["deferred", "deferred", "skipped"]);
    // Deferrals gave their attempts back: the budget is intact.
    expect(await store.get(ids[0]!)).toMatchObject({ attempts: 3, maxAttempts: 7 });
    // A delivery after the quiet period starts a new burst.
    const late = (await (await second.post("/webhooks/train", push(21))).json()).deliveryId as string;
    clock.advance(10 * MINUTE);
    await second.app.queue!.drain();
    expect(await store.get(late)).toMatchObject({ status: "succeeded" });
    expect(await store.get(other)).toMatchObject({ status: "succeeded" });
    expect(runs.slice(1).sort()).toEqual([`other/repo@${sha(1)}`, `some-user/some-repo@${sha(21)}`]);
  });

  it("needs the delivery log: refused at registration with database: false", () => {
    const app = new WebhooksServer({ database: false, print: () => {}, env: {} });
    expect(() => app.addWebhook("t").on("repo.content.update", { debounce: { ms: 1000 } }, () => "ran")).toThrow(
      '[hubhooks] .on("repo.content.update"): debounce needs the delivery log; database: false runs handlers inline, once, in the request: remove debounce or keep the log',
    );
  });

  it("rejects bad options at registration", async () => {
    const s = await startServer({}, () => {});
    cleanup.push(() => s.close());
    const ep = s.app.addWebhook("bad");
    expect(() => ep.on("repo.content.update", { debounce: { ms: 0 } }, () => {})).toThrow('.on("repo.content.update"): debounce.ms must be a positive number of milliseconds, not 0');
    expect(() => ep.on("repo.content.update", { debounce: { ms: 1 }, throttle: { ms: 1 } }, () => {})).toThrow("not both");
    expect(() => ep.on("repo.content.update", { kind: "moved" as never }, () => {})).toThrow('kind must be "created", "updated", "deleted" or an array of them, not "moved"');
  });
});

describe("throttle", () => {
  it("at most once per period: the first at once, the latest of the rest when the period ends, the others name it", async () => {
    const clock = new ManualClock(0);
    const runs: string[] = [];
    const s = await server(":memory:", clock, runs, { throttle: { key: "repo", ms: 10 * MINUTE } });
    cleanup.push(() => s.close());
    const post = async (n: number) => (await (await s.post("/webhooks/train", push(n))).json()) as { deliveryId: string; status: string };
    expect(await post(1)).toBeNull(); // ran at once: the handler's answer
    expect(runs).toEqual([`some-user/some-repo@${sha(1)}`]);
    clock.advance(MINUTE);
    const second = await post(2);
    clock.advance(MINUTE);
    const third = await post(3);
    expect([second.status, third.status]).toEqual(["queued", "queued"]);
    clock.set(10 * MINUTE);
    await s.app.queue!.drain();
    expect(runs).toEqual([`some-user/some-repo@${sha(1)}`, `some-user/some-repo@${sha(3)}`]);
    expect(await s.app.store!.get(second.deliveryId)).toMatchObject({ status: "skipped", error: `superseded by ${third.deliveryId} (throttle 600000 ms)` });
    // The next period counts from that run.
    clock.advance(MINUTE);
    const fourth = await post(4);
    expect(fourth.status).toBe("queued");
    expect(await s.app.store!.get(fourth.deliveryId)).toMatchObject({ nextAttemptAt: 20 * MINUTE });
  });
});
