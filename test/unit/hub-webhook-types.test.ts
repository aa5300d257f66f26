import { describe, expect, it } from "vitest";
import { HubhooksError } from "../../src/errors.js";
import { WATCHED_TYPES, WEBHOOK_DOMAINS, parseWatched, toWebhookInfo, toWebhookList } from "../../src/hub/index.js";

describe("webhook constants", () => {
  it("uses the singular discussion domain the Hub accepts", () => {
    expect(WEBHOOK_DOMAINS).toEqual(["repo", "discussion"]);
    expect(WATCHED_TYPES).toEqual(["user", "org", "model", "dataset", "space", "bucket"]);
  });
});

describe("parseWatched", () => {
  it("parses type:name", () => {
    expect(parseWatched("model:gpt2")).toEqual({ type: "model", name: "gpt2" });
    expect(parseWatched("dataset:stanfordnlp/imdb")).toEqual({ type: "dataset", name: "stanfordnlp/imdb" });
    expect(parseWatched(" Org:huggingface ")).toEqual({ type: "org", name: "huggingface" });
    expect(parseWatched("bucket:me/b")).toEqual({ type: "bucket", name: "me/b" });
  });

  it.each([
    ["gpt2", /expected "type:name"/],
    ["model:", /expected "type:name"/],
    [":gpt2", /expected "type:name"/],
    ["repo:gpt2", /unknown type "repo" \(types: user, org, model, dataset, space, bucket\)/],
    ["model:a/b/c", /a model name must be "name" or "owner\/name"/],
    ["user:a/b", /a user name must be a single name/],
    ["space:a//b", /must be/],
  ])("rejects %j with a clear INVALID_OPTIONS error", (input, message) => {
    let error: unknown;
    try {
      parseWatched(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(HubhooksError);
    expect(error).toMatchObject({ code: "INVALID_OPTIONS" });
    expect((error as Error).message).toMatch(message);
  });
});

describe("toWebhookInfo / toWebhookList", () => {
  it("unwraps {webhook}, fills defaults and keeps unknown fields", () => {
    expect(toWebhookInfo({ webhook: { id: "a", url: "https://x.example", extra: 1 } })).toEqual({
      id: "a",
      url: "https://x.example",
      extra: 1,
      watched: [],
      domains: [],
      disabled: false,
      state: "enabled",
    });
    expect(toWebhookInfo({ id: "b", watched: [], domains: ["repo"], disabled: true }).disabled).toBe(true);
  });

  it("reads the Hub's disabled: boolean | \"suspended-after-failure\" as three states, an unknown string as disabled with its value", () => {
    const read = (disabled: unknown) => {
      const { state, disabled: off, disabledReason } = toWebhookInfo({ id: "w", disabled });
      return { state, disabled: off, disabledReason };
    };
    expect(read(false)).toEqual({ state: "enabled", disabled: false, disabledReason: undefined });
    expect(read(undefined)).toEqual({ state: "enabled", disabled: false, disabledReason: undefined });
    expect(read(true)).toEqual({ state: "disabled", disabled: true, disabledReason: undefined });
    expect(read("suspended-after-failure")).toEqual({ state: "suspended", disabled: true, disabledReason: "suspended-after-failure" });
    expect(read("paused-by-staff")).toEqual({ state: "disabled", disabled: true, disabledReason: "paused-by-staff" });
  });

  it("rejects answers that are not webhooks", () => {
    expect(() => toWebhookInfo({ webhook: {} })).toThrow(/unexpected webhook object/);
    expect(() => toWebhookInfo(null)).toThrow(HubhooksError);
    expect(() => toWebhookList({ nope: true })).toThrow(/unexpected webhook list/);
  });

  it("reads a bare array and a {webhooks} object", () => {
    expect(toWebhookList([{ id: "a" }]).map((w) => w.id)).toEqual(["a"]);
    expect(toWebhookList({ webhooks: [{ webhook: { id: "b" } }] }).map((w) => w.id)).toEqual(["b"]);
  });
});
