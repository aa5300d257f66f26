import { describe, expect, it } from "vitest";
import { parseSetValue, setPath } from "../../src/payload/index.js";

describe("setPath", () => {
  it("sets nested values and returns the target", () => {
    const target: Record<string, any> = { discussion: { num: 1 } };
    expect(setPath(target, "discussion.num", 42)).toBe(target);
    expect(target.discussion.num).toBe(42);
  });

  it("creates missing objects, and arrays before numeric segments", () => {
    const target: Record<string, any> = {};
    setPath(target, "updatedRefs.0.ref", "refs/heads/main");
    setPath(target, "repo.owner.id", "me");
    expect(target).toEqual({ updatedRefs: [{ ref: "refs/heads/main" }], repo: { owner: { id: "me" } } });
    expect(Array.isArray(target.updatedRefs)).toBe(true);
  });

  it("indexes into existing arrays, appending at most one past the end", () => {
    const target = { list: [{ a: 1 }] };
    setPath(target, "list.0.a", 2);
    setPath(target, "list.1", { a: 3 });
    expect(target.list).toEqual([{ a: 2 }, { a: 3 }]);
    expect(() => setPath(target, "list.5", 1)).toThrow('"list.5": index 5 is past the end (length 2).');
    expect(() => setPath(target, "list.x", 1)).toThrow('"list.x": "x" is not an array index.');
    expect(() => setPath(target, "list.99999999999", 1)).toThrow("is not an array index");
  });

  it("refuses empty, unsafe and blocked paths", () => {
    const target: Record<string, any> = { repo: { name: "a/b" } };
    for (const path of ["", "a..b", ".a", "__proto__.polluted", "a.constructor.prototype", "x.".repeat(40) + "y"]) {
      expect(() => setPath(target, path, 1), path).toThrow(expect.objectContaining({ code: "INVALID_OPTIONS" }));
    }
    expect(() => setPath(target, "repo.name.first", 1)).toThrow('Cannot set "repo.name.first": "repo.name" is a string, not an object.');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("parseSetValue", () => {
  it.each([
    ["42", 42],
    ["-1.5", -1.5],
    ["true", true],
    ["false", false],
    ["null", null],
    ['{"private":true}', { private: true }],
    ["[1,2]", [1, 2]],
    ['"123"', "123"],
    ["refs/pr/3", "refs/pr/3"],
    ["hello world", "hello world"],
    ["", ""],
    ["575db8b7a51b6f85eb06eee540738584589f131c", "575db8b7a51b6f85eb06eee540738584589f131c"],
  ])("%j → %j", (text, value) => {
    expect(parseSetValue(text)).toEqual(value);
  });
});
