// The option contract of every public entry point: every option accepted, refused with a bad value (the message
// names it and what it takes), misspelt (the closest name), given in the wrong place (where it lives), and what
// database: false cannot honour. One table (test/helpers/option-contract.mjs, plain JavaScript), run twice: here
// against src/ from TypeScript, and in a plain `node` subprocess against dist/ (no type checker anywhere).
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, expectTypeOf, it } from "vitest";
import type { RegisterOptions } from "../../src/dev/register-options.js";
import { hubhooksFastify } from "../../src/adapters/fastify.js";
import { hubhooksHono } from "../../src/adapters/hono.js";
import { nextRouteHandler, type NextRouteHandlerOptions } from "../../src/adapters/next.js";
import { main } from "../../src/cli/main.js";
import { HubClient } from "../../src/hub/hub-client.js";
import { ManualClock } from "../../src/internal/clock.js";
import { createNodeMiddleware, type NodeMiddlewareOptions } from "../../src/node/middleware.js";
import type { EndpointOptions, RetryOptions, RouteFilter } from "../../src/server/endpoint.js";
import * as lists from "../../src/server/option-lists.js";
import type { WebhooksServerOptions } from "../../src/server/options.js";
import type { RepoFilter } from "../../src/server/repo-filter.js";
import { WebhooksServer, type LaunchOptions } from "../../src/server/webhooks-server.js";
import { createSqliteStore } from "../../src/store/sqlite/create-sqlite-store.js";
import type { TriggerFilter } from "../../src/triggers/route-trigger.js";
import type { ScheduleOptions } from "../../src/triggers/schedule-options.js";
import { contractCases, PLACES, runCase } from "../helpers/option-contract.mjs";

const lib = { WebhooksServer, HubClient, createNodeMiddleware, nextRouteHandler, ManualClock, createSqliteStore, main };
const cases = contractCases(lists);

describe("the TypeScript types list the same options as the runtime check", () => {
  it("one list per place, equal to the keys of its type", () => {
    expectTypeOf<keyof WebhooksServerOptions>().toEqualTypeOf<(typeof lists.SERVER_OPTIONS)[number]>();
    expectTypeOf<keyof NonNullable<WebhooksServerOptions["metrics"]>>().toEqualTypeOf<(typeof lists.METRICS_OPTIONS)[number]>();
    expectTypeOf<keyof LaunchOptions>().toEqualTypeOf<(typeof lists.LAUNCH_OPTIONS)[number]>();
    expectTypeOf<keyof RegisterOptions>().toEqualTypeOf<(typeof lists.REGISTER_OPTIONS)[number]>();
    expectTypeOf<keyof EndpointOptions>().toEqualTypeOf<(typeof lists.ENDPOINT_OPTIONS)[number]>();
    expectTypeOf<keyof RetryOptions>().toEqualTypeOf<(typeof lists.RETRY_OPTIONS)[number]>();
    expectTypeOf<keyof RepoFilter>().toEqualTypeOf<(typeof lists.REPO_FILTER_OPTIONS)[number]>();
    expectTypeOf<keyof RouteFilter>().toEqualTypeOf<(typeof lists.ROUTE_FILTER_OPTIONS)[number]>();
    expectTypeOf<keyof TriggerFilter>().toEqualTypeOf<(typeof lists.TRIGGER_OPTIONS)[number]>();
    expectTypeOf<keyof ScheduleOptions>().toEqualTypeOf<(typeof lists.SCHEDULE_OPTIONS)[number]>();
    expectTypeOf<keyof NodeMiddlewareOptions>().toEqualTypeOf<(typeof lists.NODE_MIDDLEWARE_OPTIONS)[number]>();
    expectTypeOf<keyof NextRouteHandlerOptions>().toEqualTypeOf<(typeof lists.NEXT_HANDLER_OPTIONS)[number]>();
    // A list with a repeated name would hide a missing one from the equality above.
    for (const list of Object.values(lists)) expect(new Set(list).size).toBe(list.length);
  });
});

describe("the option contract, from TypeScript (src/)", () => {
  it.each(cases.map((c) => [c.id, c] as const))("%s", async (_id, c) => {
    const result = await runCase(c, lib);
    if ("message" in c.expect) expect(result).toEqual(c.expect);
    else expect(result).toMatchObject({ accepted: true });
  });

  it("options held in a variable are checked too (no excess-property check applies to them)", () => {
    const app = new WebhooksServer({ database: ":memory:", print: () => {}, env: {}, handleSignals: false });
    const typo = { mode: "accepted" as const, concurency: 3 };
    expect(() => app.addWebhook("train", typo, () => {})).toThrow('[hubhooks] addWebhook("train"): concurency: did you mean concurrency?');
    const filter = { repoType: "model", path: ["data/**"] };
    expect(() => app.addWebhook("ci").on("repo.content.update", filter, () => {})).toThrow("path: did you mean paths?");
  });

  it("every option given to another entry point is refused in one line naming it", async () => {
    const top = PLACES.filter((p) => ["server", "launch", "endpoint", "route", "nodeMiddleware", "nextHandler"].includes(p.place));
    const everyKey = new Set(top.flatMap((p) => p.rows.map((r) => r[0])));
    let checked = 0;
    for (const p of top) {
      const own = new Set(p.rows.map((r) => r[0]));
      for (const key of [...everyKey].filter((k) => !own.has(k))) {
        const result = await runCase({ id: key, where: p.where, run: async (l) => void (await p.call(l, { [key]: 1 })), expect: { message: "" } }, lib);
        expect(result, `${p.place} given ${key}`).toHaveProperty("message");
        const message = (result as { message: string }).message;
        expect(message.startsWith(`${p.where}: ${key}`), message).toBe(true);
        expect(message).not.toContain("\n");
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("adapters refuse what is not the app, naming it; a handler that is no function is refused where it is given", () => {
    const notApp = { path: "/hooks" };
    for (const [adapter, where] of [[() => hubhooksHono(notApp as never), "hubhooksHono()"], [() => hubhooksFastify(notApp as never), "hubhooksFastify()"],
      [() => createNodeMiddleware(notApp as never), "createNodeMiddleware()"], [() => nextRouteHandler(notApp as never), "nextRouteHandler()"]] as const) {
      expect(adapter).toThrow(`[hubhooks] ${where}: the first argument must be the WebhooksServer, not an object`);
    }
    const app = new WebhooksServer({ database: ":memory:", print: () => {}, env: {}, handleSignals: false });
    expect(() => app.addWebhook("a", {}, "train" as never)).toThrow('[hubhooks] addWebhook("a"): the handler must be a function, not "train"');
    expect(() => app.addWebhook("b").on("repo", {} as never)).toThrow('[hubhooks] .on("repo"): the handler must be a function, not undefined');
    expect(() => app.addWebhook("c", "accepted" as never)).toThrow('[hubhooks] addWebhook("c"): options must be an object, not "accepted"');
  });

  it("an endpoint's trigger options need its own handler (an endpoint of routes only has none to trigger)", () => {
    const app = new WebhooksServer({ database: ":memory:", print: () => {}, env: {}, handleSignals: false });
    expect(() => app.addWebhook("ci", { paths: ["data/**"] })).toThrow(
      '[hubhooks] addWebhook("ci"): paths applies to the endpoint\'s own handler: pass one, or put paths on a route: .on(pattern, { paths }, handler)',
    );
  });
});

describe("the option contract, from plain JavaScript (dist/, a node subprocess)", () => {
  it("gives every case the same answer as from TypeScript", async () => {
    const child = fileURLToPath(new URL("../helpers/option-contract-child.mjs", import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [child], { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 });
    const results = JSON.parse(stdout) as { id: string; result: { accepted?: true; message?: string } }[];
    expect(results.map((r) => r.id)).toEqual(cases.map((c) => c.id));
    const wrong = results.filter((r, i) => {
      const expected = cases[i]!.expect;
      return "message" in expected ? r.result.message !== expected.message : r.result.accepted !== true;
    });
    expect(wrong).toEqual([]);
  });
});
