import { describe, expect, it } from "vitest";
import { deepMerge } from "../../src/internal/deep-merge.js";

describe("deepMerge (ctx.config's defaults under the repository's file)", () => {
  it("merges plain objects key by key; arrays, scalars and null replace; the inputs stay unchanged", () => {
    const base = { labels: { ok: "green" }, reviewers: ["a"], max: 3, keep: true };
    const over = { labels: { bad: "red" }, reviewers: ["b", "c"], max: null };
    expect(deepMerge(base, over)).toEqual({ labels: { ok: "green", bad: "red" }, reviewers: ["b", "c"], max: null, keep: true });
    expect(base).toEqual({ labels: { ok: "green" }, reviewers: ["a"], max: 3, keep: true });
    expect(deepMerge({ a: 1 }, undefined)).toEqual({ a: 1 });
  });

  it("drops __proto__, constructor and prototype keys from a file (no prototype pollution)", () => {
    const over = JSON.parse('{"__proto__": {"polluted": true}, "nested": {"constructor": {"prototype": {"x": 1}}, "ok": 1}}');
    const merged = deepMerge({ nested: {} }, over) as Record<string, unknown>;
    expect(merged).toEqual({ nested: { ok: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});
