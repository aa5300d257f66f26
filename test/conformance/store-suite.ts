import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HubhooksError } from "../../src/errors.js";
import type { Kysely } from "kysely";
import { ManualClock } from "../../src/internal/clock.js";
import { MIGRATIONS } from "../../src/store/migrate.js";
import type { DeliveryRecord, DeliveryStore, NewDelivery } from "../../src/store/types.js";

/**
 * The behaviour every `DeliveryStore` must have, whatever the database. Run it once per database:
 * `describeStoreConformance("sqlite file", () => createSqliteStore({ path }))`. `makeStore` returns a
 * fresh, empty, not yet migrated store; the suite migrates and closes it.
 * @example
 * describeStoreConformance("postgres", async () => createPostgresStore({ url: await freshSchema() }));
 */
export function describeStoreConformance(name: string, makeStore: () => Promise<DeliveryStore>): void {
  describe(`DeliveryStore conformance: ${name}`, () => {
    let store: DeliveryStore;
    let clock: ManualClock;
    const LEASE = 10_000;

    beforeEach(async () => {
      store = await makeStore();
      await store.migrate();
      clock = new ManualClock();
    });
    afterEach(async () => {
      await store.close();
    });

    function input(overrides: Partial<NewDelivery> = {}): NewDelivery {
      return {
        endpoint: "sync",
        body: '{"event":{"action":"update","scope":"repo.content"}}',
        headers: { "content-type": "application/json" },
        webhookId: null,
        scope: "repo.content",
        action: "update",
        repoType: "model",
        repoName: "acme/gpt",
        orderingKey: null,
        maxAttempts: 3,
        now: clock.now(),
        ...overrides,
      };
    }
    async function add(overrides: Partial<NewDelivery> = {}): Promise<DeliveryRecord> {
      const { delivery, outcome } = await store.record(input(overrides));
      expect(outcome).toBe("created");
      return delivery;
    }
    const claim = (endpoints = ["sync"]) => store.claim({ now: clock.now(), leaseMs: LEASE, endpoints });
    async function claimOrThrow(endpoints = ["sync"]): Promise<DeliveryRecord> {
      const claimed = await claim(endpoints);
      if (!claimed) throw new Error("expected a claim");
      return claimed;
    }
    const settleOk = (d: DeliveryRecord, result: unknown = { ok: true }) =>
      store.complete(d.id, d.attempts, { now: clock.now(), startedAt: clock.now(), result });
    const settleFail = (d: DeliveryRecord, nextAttemptAt: number | null, outcome: "failed" | "timeout" | "non-retryable" = "failed") =>
      store.fail(d.id, d.attempts, { now: clock.now(), startedAt: clock.now(), error: "boom", stack: "Error: boom\n    at x", outcome, nextAttemptAt });

    describe("an attempt interrupted by a shutdown (refund)", () => {
      it("goes back to queued, due now, with its attempt given back to the budget; the history says interrupted", async () => {
        await add({ maxAttempts: 1 });
        const d = await claimOrThrow();
        expect(d).toMatchObject({ attempts: 1, maxAttempts: 1 });
        // The last allowed attempt: without the refund it would be dead.
        expect(await store.fail(d.id, d.attempts, {
          now: clock.now(), startedAt: clock.now(), error: "Queue stopped", stack: null, outcome: "interrupted",
          nextAttemptAt: clock.now(), refund: true,
        })).toBe(true);
        expect(await store.get(d.id)).toMatchObject({ status: "queued", attempts: 1, maxAttempts: 2, attemptBudget: 2, nextAttemptAt: clock.now() });
        expect((await store.attempts(d.id)).map((a) => a.outcome)).toEqual(["interrupted"]);
        const again = await claimOrThrow();
        expect(again).toMatchObject({ id: d.id, attempts: 2, maxAttempts: 2 });
        expect(await settleOk(again)).toBe(true);
      });
    });

    describe("migrate and record", () => {
      it("migrates idempotently: migrating an up-to-date log again keeps its rows", async () => {
        const kept = await add({ webhookId: "w-kept" });
        await store.migrate();
        expect(await store.count({})).toBe(1);
        expect(await store.get(kept.id)).toMatchObject({ id: kept.id, webhookId: "w-kept", status: "queued" });
      });

      it("migration 008: a scheduled retry an earlier version stored as failed is retrying after migrate, and still runs", async () => {
        const d = await add();
        expect(await settleFail(await claimOrThrow(), clock.now() + 1_000)).toBe(true);
        expect(await store.get(d.id)).toMatchObject({ status: "retrying" });
        // The log as the earlier version left it: the row says failed and migration 008 never ran.
        const db = (store as unknown as { db: Kysely<any> }).db;
        await MIGRATIONS["008-retrying-status"]!.down!(db);
        await db.deleteFrom("hubhooks_migration").where("name", "=", "008-retrying-status").execute();
        expect((await store.get(d.id))?.status).toBe("failed");
        await store.migrate();
        expect(await store.get(d.id)).toMatchObject({ status: "retrying", nextAttemptAt: clock.now() + 1_000 });
        clock.advance(1_000);
        expect((await claim())?.id).toBe(d.id);
      });

      it("records a delivery as queued and due now, with the raw body and redacted, lower-cased headers", async () => {
        const body = '{ "raw":  "exactly as sent" }';
        const d = await add({
          body,
          headers: { "Content-Type": "application/json", "X-Webhook-Secret": "s3cr3t", "Webhook-Id": "w1" },
          webhookId: "w1",
        });
        expect(d.id).toMatch(/^dlv_[0-9a-z]{26}$/);
        expect(d).toMatchObject({
          endpoint: "sync", status: "queued", attempts: 0, maxAttempts: 3, attemptBudget: 3,
          nextAttemptAt: clock.now(), leaseUntil: null, startedAt: null, webhookId: "w1", scope: "repo.content",
          action: "update", repoType: "model", repoName: "acme/gpt", orderingKey: null, body, result: undefined,
          error: null, durationMs: null, receivedAt: clock.now(), updatedAt: clock.now(), finishedAt: null,
        });
        expect(d.headers).toEqual({ "content-type": "application/json", "webhook-id": "w1" });
        expect(await store.get(d.id)).toEqual(d);
        expect(await store.get("dlv_missing")).toBeNull();
      });

      it("never stores the secret, from the header or a URL's ?secret= query", async () => {
        const d = await add({
          headers: { "x-webhook-secret": "s3cr3t", referer: "https://x.hf.space/webhooks/sync?secret=s3cr3t&a=1" },
        });
        const stored = await store.get(d.id);
        expect(JSON.stringify(stored)).not.toContain("s3cr3t");
        expect(stored?.headers).toEqual({ referer: "https://x.hf.space/webhooks/sync?a=1" });
      });

      it("deduplicates on (endpoint, webhookId): queued, running and succeeded ones come back unchanged", async () => {
        const first = await add({ webhookId: "w1" });
        const again = await store.record(input({ webhookId: "w1", body: "{}", now: clock.advance(1_000) }));
        expect(again).toEqual({ outcome: "duplicate", delivery: first });

        const running = await claimOrThrow();
        expect((await store.record(input({ webhookId: "w1" }))).outcome).toBe("duplicate");
        await settleOk(running);
        const dup = await store.record(input({ webhookId: "w1" }));
        expect(dup.outcome).toBe("duplicate");
        expect(dup.delivery.status).toBe("succeeded");
        expect(await store.count({})).toBe(1);
      });

      it("does not deduplicate across endpoints or without a webhookId", async () => {
        await add({ webhookId: "w1" });
        await add({ webhookId: "w1", endpoint: "other" });
        await add({ webhookId: null });
        await add({ webhookId: null });
        expect(await store.count({})).toBe(4);
      });

      it("requeues a retrying or dead one delivered again (a Hub replay) with its attempt budget renewed", async () => {
        const d = await add({ webhookId: "w1", maxAttempts: 2 });
        await settleFail(await claimOrThrow(), clock.now() + 60_000);
        clock.advance(1_000);
        const requeued = await store.record(input({ webhookId: "w1", maxAttempts: 2 }));
        expect(requeued.outcome).toBe("requeued");
        expect(requeued.delivery).toMatchObject({
          id: d.id, status: "queued", attempts: 1, maxAttempts: 3, nextAttemptAt: clock.now(), error: null,
        });

        const second = await claimOrThrow();
        await settleFail(second, null);
        expect((await store.get(d.id))?.status).toBe("dead");
        clock.advance(1_000);
        const revived = await store.record(input({ webhookId: "w1", maxAttempts: 2 }));
        expect(revived.outcome).toBe("requeued");
        expect(revived.delivery).toMatchObject({ status: "queued", attempts: 2, maxAttempts: 4, finishedAt: null });
        expect((await store.attempts(d.id)).map((a) => a.attempt)).toEqual([1, 2]);
      });

      it("takes a re-delivered dead one at once when recorded with a lease (hand-off, a Job's own re-run)", async () => {
        const d = await add({ webhookId: "w-lease", maxAttempts: 1 });
        await settleFail(await claimOrThrow(), null);
        clock.advance(1_000);
        const taken = await store.record(input({ webhookId: "w-lease", maxAttempts: 2, leaseUntil: clock.now() + 30_000 }));
        expect(taken.outcome).toBe("requeued");
        expect(taken.delivery).toMatchObject({
          id: d.id, status: "running", attempts: 2, maxAttempts: 3, leaseUntil: clock.now() + 30_000, startedAt: clock.now(),
        });
        // Nobody else can claim it while the lease holds; a duplicate of it now is acknowledged, not taken again.
        expect(await store.claim({ now: clock.now(), leaseMs: 30_000, endpoints: ["sync"] })).toBeNull();
        const dup = await store.record(input({ webhookId: "w-lease", maxAttempts: 2, leaseUntil: clock.now() + 30_000 }));
        expect(dup.outcome).toBe("duplicate");
        expect(dup.delivery.attempts).toBe(2);
      });
    });

    describe("claim", () => {
      it("claims the oldest due delivery of the given endpoints and leases it", async () => {
        const a = await add();
        clock.advance(1);
        await add();
        clock.advance(1);
        await add({ endpoint: "other" });
        const claimed = await claimOrThrow();
        expect(claimed).toMatchObject({
          id: a.id, status: "running", attempts: 1, leaseUntil: clock.now() + LEASE, startedAt: clock.now(),
          updatedAt: clock.now(),
        });
        expect(await store.get(a.id)).toEqual(claimed);
        expect(await claim([])).toBeNull();
        expect((await claimOrThrow(["other"])).endpoint).toBe("other");
      });

      it("skips deliveries that are not due yet, and running ones under a live lease", async () => {
        const d = await add({ now: clock.now() + 1_000 });
        expect(await claim()).toBeNull();
        clock.advance(1_000);
        const running = await claimOrThrow();
        expect(await claim()).toBeNull();
        clock.advance(LEASE - 1);
        expect(await claim()).toBeNull();
        await settleFail(running, clock.now() + 5_000);
        clock.advance(4_999);
        expect(await claim()).toBeNull();
        clock.advance(1);
        expect(await claimOrThrow()).toMatchObject({ id: d.id, attempts: 2 });
      });

      it("re-claims a delivery whose lease expired (its worker died) and records the lost attempt", async () => {
        const d = await add();
        const first = await claimOrThrow();
        const lostStart = clock.now();
        clock.advance(LEASE);
        const again = await claimOrThrow();
        expect(again).toMatchObject({ id: d.id, attempts: 2, leaseUntil: clock.now() + LEASE });
        const history = await store.attempts(d.id);
        expect(history).toEqual([
          expect.objectContaining({
            deliveryId: d.id, attempt: 1, outcome: "lease-expired", startedAt: lostStart, finishedAt: lostStart + LEASE,
          }),
        ]);
        expect(history[0]?.error).toMatch(/lease expired/i);
        // The dead worker waking up late can no longer settle it.
        expect(await settleOk(first)).toBe(false);
        expect(await store.extendLease(d.id, 1, clock.now() + LEASE)).toBe(false);
        expect(await settleOk(again)).toBe(true);
      });

      it("lets a late worker settle an expired attempt that nobody re-claimed", async () => {
        const d = await add();
        const first = await claimOrThrow();
        clock.advance(LEASE * 3);
        expect(await settleOk(first)).toBe(true);
        expect((await store.get(d.id))?.status).toBe("succeeded");
        expect((await store.attempts(d.id)).map((a) => a.outcome)).toEqual(["succeeded"]);
      });

      it("marks a delivery dead when its last allowed attempt lost its lease", async () => {
        const d = await add({ maxAttempts: 1 });
        await claimOrThrow();
        clock.advance(LEASE);
        expect(await claim()).toBeNull();
        const dead = await store.get(d.id);
        expect(dead).toMatchObject({ status: "dead", attempts: 1, leaseUntil: null, finishedAt: clock.now() });
        expect(dead?.error).toMatch(/lease expired/i);
        expect((await store.attempts(d.id)).map((a) => a.outcome)).toEqual(["lease-expired"]);
      });

      it("never runs two deliveries of one ordering key (per endpoint) at once", async () => {
        const a = await add({ orderingKey: "acme/gpt" });
        clock.advance(1);
        const b = await add({ orderingKey: "acme/gpt" });
        clock.advance(1);
        const c = await add({ orderingKey: "acme/other" });
        clock.advance(1);
        const elsewhere = await add({ orderingKey: "acme/gpt", endpoint: "other" });
        const first = await claimOrThrow();
        expect(first.id).toBe(a.id);
        expect((await claimOrThrow()).id).toBe(c.id);
        expect(await claim()).toBeNull();
        expect((await claimOrThrow(["other"])).id).toBe(elsewhere.id);
        await settleOk(first);
        expect((await claimOrThrow()).id).toBe(b.id);
      });

      it("an ordering key blocks only while the lease is live", async () => {
        const a = await add({ orderingKey: "k" });
        clock.advance(1);
        await add({ orderingKey: "k" });
        await claimOrThrow();
        expect(await claim()).toBeNull();
        clock.advance(LEASE);
        // The expired one is older, so it is re-claimed first; the next one still waits behind it.
        expect((await claimOrThrow()).id).toBe(a.id);
        expect(await claim()).toBeNull();
      });
    });

    describe("complete, fail and extendLease", () => {
      it("completes a running attempt once, storing the result, duration and history", async () => {
        const d = await add();
        const running = await claimOrThrow();
        const startedAt = clock.now();
        clock.advance(250);
        expect(await store.complete(d.id, 2, { now: clock.now(), startedAt, result: 1 })).toBe(false);
        expect(await store.complete(d.id, 1, { now: clock.now(), startedAt, result: { status: 202, body: "ok" } })).toBe(true);
        expect(await store.complete(d.id, 1, { now: clock.now(), startedAt, result: null })).toBe(false);
        expect(await settleFail(running, null)).toBe(false);
        expect(await store.get(d.id)).toMatchObject({
          status: "succeeded", result: { status: 202, body: "ok" }, durationMs: 250, finishedAt: clock.now(),
          leaseUntil: null, nextAttemptAt: null, error: null,
        });
        expect(await store.attempts(d.id)).toEqual([
          { deliveryId: d.id, attempt: 1, startedAt, finishedAt: clock.now(), durationMs: 250, outcome: "succeeded", error: null, stack: null },
        ]);
      });

      it("stores an undefined result as null", async () => {
        const d = await add();
        const running = await claimOrThrow();
        await store.complete(running.id, 1, { now: clock.now(), startedAt: clock.now(), result: undefined });
        expect((await store.get(d.id))?.result).toBeNull();
      });

      it("refuses to settle a delivery that is not running", async () => {
        const d = await add();
        expect(await store.complete(d.id, 0, { now: clock.now(), startedAt: clock.now(), result: null })).toBe(false);
        expect(await settleFail({ ...d, attempts: 0 }, null)).toBe(false);
        expect(await store.extendLease(d.id, 0, clock.now() + LEASE)).toBe(false);
        expect((await store.get(d.id))?.status).toBe("queued");
      });

      it("schedules a retry with fail() and runs it only when due (backoff under a manual clock)", async () => {
        const d = await add();
        const first = await claimOrThrow();
        clock.advance(100);
        expect(await settleFail(first, clock.now() + 4_000, "timeout")).toBe(true);
        expect(await store.get(d.id)).toMatchObject({
          status: "retrying", error: "boom", nextAttemptAt: clock.now() + 4_000, leaseUntil: null, finishedAt: null,
        });
        expect(await store.nextDueAt(["sync"])).toBe(clock.now() + 4_000);
        clock.advance(3_999);
        expect(await claim()).toBeNull();
        clock.advance(1);
        const second = await claimOrThrow();
        expect(second.attempts).toBe(2);
        const history = await store.attempts(d.id);
        expect(history).toEqual([expect.objectContaining({ attempt: 1, outcome: "timeout", error: "boom", stack: "Error: boom\n    at x" })]);
      });

      it("a delivery failed with no next attempt is dead and never claimed again", async () => {
        const d = await add({ maxAttempts: 1 });
        await settleFail(await claimOrThrow(), null, "non-retryable");
        expect(await store.get(d.id)).toMatchObject({ status: "dead", nextAttemptAt: null, finishedAt: clock.now() });
        clock.advance(86_400_000);
        expect(await claim()).toBeNull();
        expect((await store.attempts(d.id))[0]?.outcome).toBe("non-retryable");
      });

      it("extends the lease of the current attempt only", async () => {
        const d = await add();
        await claimOrThrow();
        clock.advance(LEASE - 1);
        expect(await store.extendLease(d.id, 1, clock.now() + LEASE)).toBe(true);
        clock.advance(LEASE - 1);
        expect(await claim()).toBeNull();
        expect((await store.get(d.id))?.leaseUntil).toBe(clock.now() + 1);
      });
    });

    describe("replay", () => {
      it("starts a new series: queued, due now, budget renewed, history kept", async () => {
        const d = await add({ maxAttempts: 1 });
        await settleFail(await claimOrThrow(), null);
        clock.advance(60_000);
        const replayed = await store.replay(d.id, clock.now());
        expect(replayed).toMatchObject({
          id: d.id, status: "queued", attempts: 1, maxAttempts: 2, attemptBudget: 1, nextAttemptAt: clock.now(),
          error: null, finishedAt: null, updatedAt: clock.now(),
        });
        const again = await claimOrThrow();
        expect(again.attempts).toBe(2);
        expect(await store.replay(d.id, clock.now())).toBeNull();
        await settleOk(again);
        expect((await store.attempts(d.id)).map((a) => [a.attempt, a.outcome])).toEqual([[1, "failed"], [2, "succeeded"]]);
        expect((await store.replay(d.id, clock.now()))?.status).toBe("queued");
        expect(await store.replay("dlv_missing", clock.now())).toBeNull();
      });

      it("replays every non-running delivery matching a filter", async () => {
        const dead = await add({ maxAttempts: 1 });
        await settleFail(await claimOrThrow(), null);
        const done = await add();
        await settleOk(await claimOrThrow());
        const running = await add();
        await claimOrThrow();
        const otherEndpoint = await add({ endpoint: "other", maxAttempts: 1 });
        await settleFail(await claimOrThrow(["other"]), null);
        clock.advance(1_000);

        expect(await store.replayMatching({ endpoint: "sync", status: ["dead", "running"] }, clock.now())).toBe(1);
        expect((await store.get(dead.id))?.status).toBe("queued");
        expect((await store.get(done.id))?.status).toBe("succeeded");
        expect((await store.get(running.id))?.status).toBe("running");
        expect((await store.get(otherEndpoint.id))?.status).toBe("dead");
        expect(await store.replayMatching({}, clock.now())).toBe(3);
        expect(await store.countsByStatus()).toEqual({ queued: 3, running: 1, succeeded: 0, retrying: 0, dead: 0, skipped: 0, invalid: 0 });
      });
    });

    describe("list and count", () => {
      async function seed(): Promise<DeliveryRecord[]> {
        const rows: DeliveryRecord[] = [];
        const specs: Partial<NewDelivery>[] = [
          { endpoint: "sync", scope: "repo.content", repoType: "model", repoName: "Acme/GPT-2" },
          { endpoint: "sync", scope: "repo", repoType: "dataset", repoName: "acme/data_50%" },
          { endpoint: "ci", scope: "discussion", repoType: "model", repoName: "other/bert" },
          { endpoint: "ci", scope: "repo.content", repoType: "space", repoName: "acme/demo" },
          { endpoint: "sync", scope: "repo.content", repoType: "model", repoName: "acme/gpt-neo" },
        ];
        for (const spec of specs) {
          rows.push(await add(spec));
          clock.advance(1_000);
        }
        return rows;
      }

      it("lists newest first and filters by endpoint, status, scope, repo substring, repo type and time", async () => {
        const [a, b, c, d, e] = await seed();
        const ids = async (filter: Parameters<DeliveryStore["list"]>[0]) =>
          (await store.list(filter, { limit: 50 })).items.map((x) => x.id);
        expect(await ids({})).toEqual([e!.id, d!.id, c!.id, b!.id, a!.id]);
        expect(await ids({ endpoint: "ci" })).toEqual([d!.id, c!.id]);
        expect(await ids({ scope: "repo.content" })).toEqual([e!.id, d!.id, a!.id]);
        expect(await ids({ repo: "GPT" })).toEqual([e!.id, a!.id]);
        expect(await ids({ repo: "_50%" })).toEqual([b!.id]);
        expect(await ids({ repo: "a%" })).toEqual([]);
        expect(await ids({ repoType: "model", endpoint: "sync" })).toEqual([e!.id, a!.id]);
        expect(await ids({ since: b!.receivedAt, until: d!.receivedAt })).toEqual([c!.id, b!.id]);
        expect(await ids({ status: [] })).toEqual([]);

        await settleOk(await claimOrThrow(["ci"]));
        expect(await ids({ status: "succeeded" })).toEqual([c!.id]);
        expect(await ids({ status: ["succeeded", "queued"], endpoint: "ci" })).toEqual([d!.id, c!.id]);
        expect(await store.count({})).toBe(5);
        expect(await store.count({ endpoint: "sync", repo: "acme" })).toBe(3);
        expect(await store.count({ status: "queued" })).toBe(4);
      });

      it("pages with an opaque keyset cursor that new rows don't disturb", async () => {
        const rows = await seed();
        const newestFirst = rows.map((r) => r.id).reverse();
        const first = await store.list({}, { limit: 2 });
        expect(first.items.map((x) => x.id)).toEqual(newestFirst.slice(0, 2));
        expect(first.nextCursor).toEqual(expect.any(String));
        await add(); // newer than everything: must not shift the following pages
        const second = await store.list({}, { limit: 2, cursor: first.nextCursor! });
        expect(second.items.map((x) => x.id)).toEqual(newestFirst.slice(2, 4));
        const third = await store.list({}, { limit: 2, cursor: second.nextCursor! });
        expect(third.items.map((x) => x.id)).toEqual(newestFirst.slice(4));
        expect(third.nextCursor).toBeNull();
      });

      it("breaks ties of received_at by id, so equal timestamps never repeat or skip across pages", async () => {
        const same: string[] = [];
        for (let i = 0; i < 5; i++) same.push((await add()).id);
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 10; i++) {
          const page = await store.list({}, { limit: 2, cursor });
          seen.push(...page.items.map((x) => x.id));
          if (!page.nextCursor) break;
          cursor = page.nextCursor;
        }
        expect(seen).toEqual([...same].sort().reverse());
      });

      it("rejects a malformed cursor with INVALID_OPTIONS", async () => {
        const error = await store.list({}, { limit: 2, cursor: "not-a-cursor" }).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(HubhooksError);
        expect((error as HubhooksError).code).toBe("INVALID_OPTIONS");
      });
    });

    describe("retention, counts and wake-up time", () => {
      it("prunes succeeded deliveries finished before a time, with their attempts", async () => {
        const old = await add();
        await settleOk(await claimOrThrow());
        const cutoff = clock.advance(1_000);
        const recent = await add();
        await settleOk(await claimOrThrow());
        clock.set(cutoff - 500);
        const dead = await add({ maxAttempts: 1 });
        await settleFail(await claimOrThrow(), null);
        clock.set(cutoff + 5_000);

        expect(await store.prune({ succeededBefore: cutoff })).toBe(1);
        expect(await store.get(old.id)).toBeNull();
        expect(await store.attempts(old.id)).toEqual([]);
        expect(await store.get(recent.id)).not.toBeNull();
        expect(await store.get(dead.id)).not.toBeNull();
        expect(await store.prune({ succeededBefore: cutoff })).toBe(0);
      });

      it("counts deliveries by status, zeros included", async () => {
        expect(await store.countsByStatus()).toEqual({ queued: 0, running: 0, succeeded: 0, retrying: 0, dead: 0, skipped: 0, invalid: 0 });
        await add();
        await add();
        await add();
        await claimOrThrow();
        await settleOk(await claimOrThrow());
        expect(await store.countsByStatus()).toEqual({ queued: 1, running: 1, succeeded: 1, retrying: 0, dead: 0, skipped: 0, invalid: 0 });
      });

      it("queueStats: the unsettled backlog by status and since when the oldest overdue one has waited", async () => {
        const t0 = clock.now();
        expect(await store.queueStats(t0)).toEqual({ depth: { queued: 0, running: 0, retrying: 0 }, oldestDueAt: null });
        await add({ now: t0 });
        await add({ now: t0 + 1_000 });
        await add({ now: t0 + 2_000 });
        clock.set(t0 + 2_000);
        const running = await claimOrThrow(); // due at t0, leased until t0 + 2 s + LEASE
        await settleOk(await claimOrThrow()); // settled: out of the backlog
        await settleFail(await claimOrThrow(), t0 + 5_000); // a retry due at t0 + 5 s
        expect(await store.queueStats(t0 + 2_000)).toEqual({ depth: { queued: 0, running: 1, retrying: 1 }, oldestDueAt: null });
        await add({ now: t0 + 3_000 });
        expect(await store.queueStats(t0 + 4_000)).toEqual({ depth: { queued: 1, running: 1, retrying: 1 }, oldestDueAt: t0 + 3_000 });
        expect((await store.queueStats(t0 + 6_000)).oldestDueAt).toBe(t0 + 3_000);
        clock.set(t0 + 6_000);
        await settleOk(await claimOrThrow()); // the one due at t0 + 3 s
        await settleOk(await claimOrThrow()); // the retry
        expect(await store.queueStats(t0 + 6_000)).toEqual({ depth: { queued: 0, running: 1, retrying: 0 }, oldestDueAt: null });
        // A running attempt whose lease expired (its worker died) is overdue work from its lease's end.
        expect((await store.queueStats(t0 + 30_000)).oldestDueAt).toBe(running.leaseUntil);
        expect(running.leaseUntil).toBe(t0 + 2_000 + LEASE);
      });

      it("deliveryHealth: one statement groups the window by endpoint, whole hour, status, retried and duration bucket", async () => {
        const t0 = clock.now();
        await add({ now: t0 - 1 }); // before the window
        await add({ now: t0 + 10 });
        await add({ now: t0 + 20, maxAttempts: 1 });
        clock.set(t0 + 30);
        await settleOk(await claimOrThrow()); // oldest first: the one outside the window
        await settleOk(await claimOrThrow());
        await settleFail(await claimOrThrow(), null);
        await add({ now: t0 + 3_600_000 + 5, endpoint: "other" });
        const rows = (await store.deliveryHealth!(t0)).sort((a, b) => `${a.endpoint}${a.status}`.localeCompare(`${b.endpoint}${b.status}`));
        expect(rows).toEqual([
          { endpoint: "other", hour: 1, status: "queued", retried: false, bucket: -1, count: 1, lastReceivedAt: t0 + 3_600_005 },
          { endpoint: "sync", hour: 0, status: "dead", retried: false, bucket: 0, count: 1, lastReceivedAt: t0 + 20 },
          { endpoint: "sync", hour: 0, status: "succeeded", retried: false, bucket: 0, count: 1, lastReceivedAt: t0 + 10 },
        ]);
      });

      it("keeps the trace context a delivery was recorded with; a Hub re-delivery that requeues it brings its own", async () => {
        const first = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        const d = await add({ webhookId: "w-trace", traceparent: first });
        expect(d.traceparent).toBe(first);
        expect((await store.get(d.id))!.traceparent).toBe(first);
        expect((await claimOrThrow()).traceparent).toBe(first);
        expect((await add({ webhookId: "w-plain" })).traceparent).toBeNull();
        await settleFail((await store.get(d.id))!, null);
        const again = "00-0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7-01";
        const requeued = await store.record(input({ webhookId: "w-trace", traceparent: again }));
        expect(requeued).toMatchObject({ outcome: "requeued", delivery: { traceparent: again } });
        await settleFail(await claimOrThrow(), null);
        // Re-delivered without one: the last known context stays.
        expect((await store.record(input({ webhookId: "w-trace" }))).delivery.traceparent).toBe(again);
        const [batched] = await store.recordMany([input({ traceparent: first })]);
        expect((await store.get(batched!.delivery.id))!.traceparent).toBe(first);
      });

      it("tells when the queue next has something to do", async () => {
        expect(await store.nextDueAt(["sync"])).toBeNull();
        const t0 = clock.now();
        await add({ now: t0 + 5_000 });
        await add({ now: t0 + 9_000, endpoint: "other" });
        expect(await store.nextDueAt(["sync"])).toBe(t0 + 5_000);
        expect(await store.nextDueAt(["sync", "other"], t0 + 5_000)).toBe(t0 + 9_000);
        expect(await store.nextDueAt([])).toBeNull();
        clock.set(t0 + 9_000);
        await claimOrThrow(["sync"]);
        expect(await store.nextDueAt(["sync"])).toBe(t0 + 9_000 + LEASE);
        expect(await store.nextDueAt(["sync", "other"], t0 + 9_000)).toBe(t0 + 9_000 + LEASE);
      });
    });

    describe("batch verbs: group commit, hand-off, batched claims and fenced settles", () => {
      it("recordMany writes a batch in input order and dedupes exactly inside it", async () => {
        const out = await store.recordMany([
          input({ webhookId: "w-1", body: "a" }),
          input({ webhookId: "w-2", body: "b" }),
          input({ webhookId: "w-1", body: "a again" }),
          input({ webhookId: null, body: "c" }),
        ]);
        expect(out.map((r) => r.outcome)).toEqual(["created", "created", "duplicate", "created"]);
        expect(out[2]!.delivery.id).toBe(out[0]!.delivery.id);
        expect(out[2]!.delivery.body).toBe("a");
        expect(await store.count({})).toBe(3);
        expect((await store.get(out[1]!.delivery.id))!.body).toBe("b");
      });

      it("a delivery recorded with a lease is the hand-off: running, attempt 1, never claimable while leased", async () => {
        const now = clock.now();
        const [r] = await store.recordMany([input({ leaseUntil: now + LEASE, url: "https://x.example/webhooks/sync?a=1" })]);
        expect(r!.outcome).toBe("created");
        expect(r!.delivery).toMatchObject({ status: "running", attempts: 1, leaseUntil: now + LEASE, startedAt: now });
        expect(await store.get(r!.delivery.id)).toMatchObject({
          status: "running", attempts: 1, leaseUntil: now + LEASE, url: "https://x.example/webhooks/sync?a=1",
        });
        expect(await claim()).toBeNull();
        // The recording process dies: another one re-claims it once the lease expires, as attempt 2.
        clock.set(now + LEASE);
        const again = await claimOrThrow();
        expect([again.id, again.attempts]).toEqual([r!.delivery.id, 2]);
        expect((await store.attempts(again.id)).map((a) => [a.attempt, a.outcome])).toEqual([[1, "lease-expired"]]);
      });

      it("a duplicate ignores the lease (the caller must not run it)", async () => {
        const first = await add({ webhookId: "w-9" });
        const [dup] = await store.recordMany([input({ webhookId: "w-9", leaseUntil: clock.now() + LEASE })]);
        expect(dup!.outcome).toBe("duplicate");
        expect(dup!.delivery).toMatchObject({ id: first.id, status: "queued", attempts: 0 });
      });

      it("claimMany fills each endpoint's free slots oldest first, in one call", async () => {
        const t0 = clock.now();
        const sync = [await add({ now: t0 + 3 }), await add({ now: t0 + 1 }), await add({ now: t0 + 2 })];
        const other = [await add({ endpoint: "other", now: t0 }), await add({ endpoint: "other", now: t0 + 4 })];
        clock.set(t0 + 10);
        const claimed = await store.claimMany({
          now: clock.now(), leaseMs: LEASE, slots: [{ endpoint: "sync", limit: 2 }, { endpoint: "other", limit: 5 }, { endpoint: "none", limit: 0 }],
        });
        expect(claimed.map((d) => d.id)).toEqual([sync[1]!.id, sync[2]!.id, other[0]!.id, other[1]!.id]);
        for (const d of claimed) expect(d).toMatchObject({ status: "running", attempts: 1, leaseUntil: t0 + 10 + LEASE });
        const rest = await store.claimMany({ now: clock.now(), leaseMs: LEASE, slots: [{ endpoint: "sync", limit: 8 }] });
        expect(rest.map((d) => d.id)).toEqual([sync[0]!.id]);
        expect(await store.claimMany({ now: clock.now(), leaseMs: LEASE, slots: [{ endpoint: "sync", limit: 8 }] })).toEqual([]);
      });

      it("claimMany never claims two deliveries of one ordering key", async () => {
        const a1 = await add({ orderingKey: "acme/a" });
        await add({ orderingKey: "acme/a" });
        const b1 = await add({ orderingKey: "acme/b" });
        const free = await add();
        const claimed = await store.claimMany({ now: clock.now(), leaseMs: LEASE, slots: [{ endpoint: "sync", limit: 8 }] });
        expect(claimed.map((d) => d.id).sort()).toEqual([a1.id, b1.id, free.id].sort());
      });

      it("settleMany applies each settle only to the attempt it names (fencing), in one call", async () => {
        const a = await add();
        const b = await add();
        const ca = await claimOrThrow();
        const cb = await claimOrThrow();
        expect([ca.id, cb.id]).toEqual([a.id, b.id]);
        const now = clock.now();
        const applied = await store.settleMany([
          { kind: "complete", id: a.id, attempt: 1, now, startedAt: now, result: { ok: 1 } },
          { kind: "fail", id: b.id, attempt: 1, now, startedAt: now, error: "boom", stack: null, outcome: "failed", nextAttemptAt: now + 5 },
          { kind: "complete", id: b.id, attempt: 7, now, startedAt: now, result: "stale" }, // not the current attempt
        ]);
        expect(applied).toEqual([true, true, false]);
        expect(await store.get(a.id)).toMatchObject({ status: "succeeded", result: { ok: 1 } });
        expect(await store.get(b.id)).toMatchObject({ status: "retrying", nextAttemptAt: now + 5, error: "boom" });
      });

      it("a worker whose lease was lost cannot overwrite the newer attempt", async () => {
        const d = await add();
        const lost = await claimOrThrow();
        clock.advance(LEASE);
        const newer = await claimOrThrow();
        expect(newer.attempts).toBe(2);
        const now = clock.now();
        expect(await store.settleMany([{ kind: "complete", id: d.id, attempt: lost.attempts, now, startedAt: now, result: "late" }])).toEqual([false]);
        expect(await store.get(d.id)).toMatchObject({ status: "running", attempts: 2 });
        expect(await settleOk(newer, "fresh")).toBe(true);
        expect(await store.get(d.id)).toMatchObject({ status: "succeeded", result: "fresh" });
      });

      it("a skip settles the attempt as skipped with its reason, and retention prunes it like a success", async () => {
        const d = await claimOrThrow((await add(), ["sync"]));
        const now = clock.now();
        expect(await store.settleMany([{ kind: "skip", as: "skipped", id: d.id, attempt: d.attempts, now, startedAt: now, reason: "no route matched" }])).toEqual([true]);
        expect(await store.get(d.id)).toMatchObject({ status: "skipped", error: "no route matched", nextAttemptAt: null, finishedAt: now });
        expect((await store.attempts(d.id)).map((a) => [a.outcome, a.error])).toEqual([["skipped", "no route matched"]]);
        expect(await store.list({ status: "skipped" }, { limit: 10 })).toMatchObject({ items: [{ id: d.id }] });
        expect(await store.prune({ succeededBefore: now + 1 })).toBe(1);
        expect(await store.get(d.id)).toBeNull();
      });

      it("a failed attempt keeps the steps that succeeded; the retry gets them; a success clears them", async () => {
        const d = await claimOrThrow((await add(), ["sync"]));
        const now = clock.now();
        await store.settleMany([{ kind: "fail", id: d.id, attempt: 1, now, startedAt: now, error: "second route", stack: null,
          outcome: "failed", nextAttemptAt: now, completedSteps: ["handler", "on:0:*"] }]);
        const retry = await claimOrThrow();
        expect(retry.completedSteps).toEqual(["handler", "on:0:*"]);
        expect(await settleOk(retry)).toBe(true);
        expect((await store.get(d.id))!.completedSteps).toEqual([]);
      });

      it("writeBatch records and settles together", async () => {
        const d = await claimOrThrow((await add(), ["sync"]));
        const now = clock.now();
        const out = await store.writeBatch({
          records: [input({ webhookId: "w-b" })],
          settles: [{ kind: "complete", id: d.id, attempt: d.attempts, now, startedAt: now, result: null }],
        });
        expect(out.records.map((r) => r.outcome)).toEqual(["created"]);
        expect(out.settles).toEqual([true]);
        expect(await store.countsByStatus()).toMatchObject({ queued: 1, succeeded: 1 });
      });
    });
  });
}
