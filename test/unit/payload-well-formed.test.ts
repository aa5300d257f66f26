import { describe, expect, it } from "vitest";
import { FIXTURE_NAMES, getFixture } from "../../src/payload/fixtures.js";
import { parsePayload, parsePayloadWithZod } from "../../src/payload/parse.js";
import { WebhookPayloadSchema } from "../../src/payload/schema.js";
import { isWellFormedPayload } from "../../src/payload/well-formed.js";

/** Values put in place of each field of a fixture: every JSON type, empty and not, and the field removed. */
const REPLACEMENTS: unknown[] = [undefined, null, 0, 1.5, -1, "", "x", true, false, [], ["x"], [{}], [null], {}, { x: 1 }];

/** Every path (object keys and array indexes) of a JSON value, outermost first. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => [[...prefix, key], ...paths((value as Record<string | number, unknown>)[key], [...prefix, key])]);
}

function withValue(base: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(base) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  if (replacement === undefined && !Array.isArray(node)) delete node[last];
  else node[last] = replacement;
  return copy;
}

/** Broken (and harmless) variants of every fixture: each field replaced by each value, plus a few whole bodies. */
function* variants(): Generator<[string, unknown]> {
  for (const name of FIXTURE_NAMES) {
    const base = getFixture(name);
    for (const path of paths(base)) {
      for (const replacement of REPLACEMENTS) yield [`${name} ${path.join(".")}=${JSON.stringify(replacement)}`, withValue(base, path, replacement)];
    }
    yield [`${name} with comment.content null`, { ...base, comment: { hidden: true, content: null } }];
    yield [`${name} with an extra field`, { ...base, extra: { deep: [1, 2] } }];
  }
  for (const whole of [null, [], "x", 1, {}, { event: "repo.create", repo: {} }]) yield [`whole body ${JSON.stringify(whole)}`, whole];
}

describe("the hand-checked payload shape agrees with zod (the reference)", () => {
  it("takes every fixture on the fast path, with the same result as zod", () => {
    for (const name of FIXTURE_NAMES) {
      const payload = getFixture(name);
      expect(isWellFormedPayload(payload), name).toBe(true);
      expect(parsePayload(payload), name).toEqual(parsePayloadWithZod(payload));
    }
  });

  it("never accepts what zod refuses, and parsePayload answers as zod on every broken variant", () => {
    let checked = 0;
    let refused = 0;
    for (const [name, value] of variants()) {
      const zod = WebhookPayloadSchema.safeParse(value).success;
      if (isWellFormedPayload(value)) expect(zod, `${name}: accepted by the hand check, refused by zod`).toBe(true);
      expect(parsePayload(value), name).toEqual(parsePayloadWithZod(value));
      checked++;
      if (!zod) refused++;
    }
    // The variants do break payloads (a test of "agree" on only good payloads would prove little).
    expect(checked).toBeGreaterThan(3000);
    expect(refused).toBeGreaterThan(1000);
  });

  it("leaves to zod the one case it would change (comment.content null), with zod's answer", () => {
    const payload = { ...getFixture("discussion.comment.create"), comment: { hidden: true, content: null } };
    expect(isWellFormedPayload(payload)).toBe(false);
    const parsed = parsePayload(payload);
    expect(parsed.success && "content" in parsed.data.comment!).toBe(false);
  });
});
