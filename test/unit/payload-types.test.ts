// Type-level tests: `npx tsc -p tsconfig.json --noEmit` checks them; vitest only runs the runtime parts.
import { describe, expect, expectTypeOf, it } from "vitest";
import {
  fixture,
  isEvent,
  parsePayload,
  PROMISED_FIELDS,
  type Comment,
  type Discussion,
  type EventFields,
  type MovedTo,
  type PayloadFor,
  type ScopeFields,
  type UpdatedConfig,
  type UpdatedRef,
  type WebhookPayload,
} from "../../src/payload/index.js";

describe("PayloadFor narrowing", () => {
  it("makes comment and discussion non-optional on discussion.comment.create (no ?. needed)", () => {
    const read = (p: PayloadFor<"discussion.comment.create">) => p.comment.content;
    expectTypeOf(read).returns.toEqualTypeOf<string | undefined>();
    expectTypeOf<PayloadFor<"discussion.comment.create">["comment"]>().toEqualTypeOf<Comment>();
    expectTypeOf<PayloadFor<"discussion.comment">["discussion"]>().toEqualTypeOf<Discussion>();
    expectTypeOf<PayloadFor<"discussion.comment.create">["event"]["action"]>().toEqualTypeOf<"create">();
    expect(read(fixture("discussion.comment.create"))).toBe("This adds an env key");
  });

  it("types comment.content as the README and the Hub say: absent (optional), never null", () => {
    expectTypeOf<Comment["content"]>().toEqualTypeOf<string | undefined>();
    const hidden = { ...fixture("discussion.comment.create").comment, hidden: true } as Record<string, unknown>;
    delete hidden.content;
    const parsed = parsePayload({ ...fixture("discussion.comment.create"), comment: hidden });
    // `success` first: `false && …` has no property either, so alone this held for a parser that refused the payload.
    expect(parsed.success).toBe(true);
    expect(parsed.success && parsed.data.comment).toEqual(hidden);
    const nulled = parsePayload({ ...fixture("discussion.comment.create"), comment: { ...hidden, content: null } });
    expect(nulled.success && nulled.data.comment).toEqual(hidden);
  });

  it("leaves optional fields optional on the base payload", () => {
    // @ts-expect-error comment is possibly null or undefined without narrowing
    const read = (p: WebhookPayload) => p.comment.content;
    expect(read).toBeTypeOf("function");
    expectTypeOf<PayloadFor<"*">>().toEqualTypeOf<WebhookPayload>();
    expectTypeOf<PayloadFor<"repo.create">["discussion"]>().toEqualTypeOf<Discussion | null | undefined>();
  });

  it("promises the documented fields of each scope and key", () => {
    expectTypeOf<PayloadFor<"discussion.delete">["discussion"]>().toEqualTypeOf<Discussion>();
    expectTypeOf<PayloadFor<"repo.content.update">["updatedRefs"]>().toEqualTypeOf<UpdatedRef[]>();
    expectTypeOf<PayloadFor<"repo.config.update">["updatedConfig"]>().toEqualTypeOf<UpdatedConfig>();
    expectTypeOf<PayloadFor<"repo.move">["movedTo"]>().toEqualTypeOf<MovedTo>();
    // Not promised: bucket content changes have no headSha.
    expectTypeOf<PayloadFor<"repo.content.update">["repo"]["headSha"]>().toEqualTypeOf<string | null | undefined>();
  });

  it("narrows event literals, allowing unknown narrower scopes on update keys", () => {
    type Config = PayloadFor<"repo.config.update">["event"];
    expectTypeOf<Config["scope"]>().toEqualTypeOf<"repo.config" | `repo.config.${string}`>();
    expectTypeOf<PayloadFor<"repo.move">["event"]["scope"]>().toEqualTypeOf<"repo">();
  });

  it("gives the union for a list of patterns", () => {
    type Either = PayloadFor<readonly ["repo.move", "discussion.create"]>;
    expectTypeOf<Either>().toEqualTypeOf<PayloadFor<"repo.move"> | PayloadFor<"discussion.create">>();
  });

  it("isEvent narrows a WebhookPayload", () => {
    const p: WebhookPayload = fixture("repo.move");
    if (isEvent(p, "repo.move")) {
      expectTypeOf(p.movedTo).toEqualTypeOf<MovedTo>();
      expect(p.movedTo.name).toBe("some-org/some-repo");
    } else {
      expect.unreachable();
    }
  });

  it("keeps the runtime field checks in step with ScopeFields/EventFields", () => {
    expectTypeOf<keyof ScopeFields["repo"]>().toEqualTypeOf<never>();
    expectTypeOf<keyof ScopeFields["repo.content"]>().toEqualTypeOf<"updatedRefs">();
    expectTypeOf<keyof ScopeFields["repo.config"]>().toEqualTypeOf<"updatedConfig">();
    expectTypeOf<keyof ScopeFields["discussion"]>().toEqualTypeOf<"discussion">();
    expectTypeOf<keyof ScopeFields["discussion.comment"]>().toEqualTypeOf<"discussion" | "comment">();
    expectTypeOf<keyof EventFields>().toEqualTypeOf<"repo.move">();
    expectTypeOf<keyof EventFields["repo.move"]>().toEqualTypeOf<"movedTo">();
    expect(PROMISED_FIELDS).toEqual({
      repo: [],
      "repo.content": ["updatedRefs"],
      "repo.config": ["updatedConfig"],
      discussion: ["discussion"],
      "discussion.comment": ["discussion", "comment"],
      "repo.move": ["movedTo"],
    });
  });
});
