import { describe, expect, it } from "vitest";
import {
  fixture,
  getFixture,
  isEvent,
  KNOWN_EVENTS,
  KNOWN_SCOPES,
  matchesEvent,
  resolveEvent,
  type EventPattern,
} from "../../src/payload/index.js";

const ev = (scope: string, action: string) => resolveEvent({ event: { scope, action } });

describe("resolveEvent", () => {
  it.each([
    ["repo", "create", "repo.create", true, false],
    ["repo.content", "update", "repo.content.update", true, false],
    ["discussion.comment", "update", "discussion.comment.update", true, false],
    // The Hub's rule: an unknown narrower scope is an update on the longest known broader scope.
    ["repo.config.dois", "create", "repo.config.update", true, true],
    ["repo.content.lfs", "delete", "repo.content.update", true, true],
    ["discussion.comment.reaction", "create", "discussion.comment.update", true, true],
    ["repo.settings", "whatever", "repo.update", true, true],
    // A known scope keeps an unknown action; an unknown scope stays as is.
    ["repo.content", "create", "repo.content.create", false, false],
    ["space.hardware", "upgrade", "space.hardware.upgrade", false, false],
    ["repository", "create", "repository.create", false, false],
  ])("%s + %s → %s (known %s, fellBack %s)", (scope, action, key, known, fellBack) => {
    const resolved = ev(scope, action);
    expect(resolved).toEqual({
      scope: key.slice(0, key.lastIndexOf(".")),
      action: key.slice(key.lastIndexOf(".") + 1),
      key,
      known,
      fellBack,
      raw: { scope, action },
      original: { scope, action },
    });
  });

  it("lists 11 documented events over 5 scopes, every event on a known scope", () => {
    expect(KNOWN_EVENTS).toHaveLength(11);
    expect(KNOWN_SCOPES).toEqual(["repo", "repo.content", "repo.config", "discussion", "discussion.comment"]);
    for (const key of KNOWN_EVENTS) expect(ev(key.slice(0, key.lastIndexOf(".")), key.slice(key.lastIndexOf(".") + 1)).known).toBe(true);
  });

  it("does not throw on a payload without a usable event", () => {
    expect(resolveEvent({} as never).key).toBe(".");
    expect(resolveEvent({ event: { scope: 3, action: null } } as never).raw).toEqual({ scope: "", action: "" });
  });
});

describe("matchesEvent", () => {
  it("matches '*', the key and the resolved scope", () => {
    const e = ev("repo.content", "update");
    expect(matchesEvent("*", e)).toBe(true);
    expect(matchesEvent("repo.content.update", e)).toBe(true);
    expect(matchesEvent("repo.content", e)).toBe(true);
  });

  it("does not let a scope pattern match narrower known scopes", () => {
    expect(matchesEvent("repo", ev("repo.content", "update"))).toBe(false);
    expect(matchesEvent("repo.update", ev("repo.content", "update"))).toBe(false);
    expect(matchesEvent("discussion", ev("discussion.comment", "create"))).toBe(false);
    expect(matchesEvent("repo", ev("repo", "move"))).toBe(true);
  });

  it("matches an unknown narrower scope through its broader scope's update", () => {
    const dois = ev("repo.config.dois", "create");
    expect(matchesEvent("repo.config.update", dois)).toBe(true);
    expect(matchesEvent("repo.config", dois)).toBe(true);
    expect(matchesEvent("repo", dois)).toBe(false);
  });

  it("matches a list when any entry does, and raw: selectors against the raw event", () => {
    const dois = ev("repo.config.dois", "create");
    expect(matchesEvent(["repo.create", "repo.config"], dois)).toBe(true);
    expect(matchesEvent(["repo.create", "repo.delete"], dois)).toBe(false);
    expect(matchesEvent([], dois)).toBe(false);
    expect(matchesEvent("raw:repo.config.dois", dois)).toBe(true);
    expect(matchesEvent("raw:repo.config.dois.create", dois)).toBe(true);
    expect(matchesEvent("raw:repo.config.dois.update", dois)).toBe(false);
    expect(matchesEvent("raw:repo.content.create", ev("repo.content", "create"))).toBe(true);
    expect(matchesEvent("raw:space.hardware", ev("space.hardware", "upgrade"))).toBe(true);
    expect(matchesEvent("raw:repo", ev("repo.content", "update"))).toBe(false);
    expect(matchesEvent("raw:repo.config", dois)).toBe(true);
    // From JavaScript (no type check), a plain unknown string still matches as before.
    expect(matchesEvent("space.hardware" as never, ev("space.hardware", "upgrade"))).toBe(true);
  });

  it("with the payload first, also requires the fields the pattern promises", () => {
    const payload = getFixture("discussion.comment.create");
    const e = resolveEvent(payload);
    expect(matchesEvent(payload, e, "discussion.comment.create")).toBe(true);
    const noComment = { ...payload, comment: undefined };
    expect(matchesEvent("discussion.comment.create", e)).toBe(true);
    expect(matchesEvent(noComment, e, "discussion.comment.create")).toBe(false);
    expect(matchesEvent(noComment, e, "discussion.comment")).toBe(false);
    expect(matchesEvent(noComment, e, "*")).toBe(true);
    const move = getFixture("repo.move");
    expect(matchesEvent({ ...move, movedTo: null }, resolveEvent(move), "repo.move")).toBe(false);
    expect(matchesEvent({ ...move, movedTo: null }, resolveEvent(move), "repo")).toBe(true);
  });
});

describe("isEvent", () => {
  it("checks event and promised fields for every fixture's own event", () => {
    const patterns: EventPattern[] = [...KNOWN_EVENTS, ...KNOWN_SCOPES, "*"];
    const hits = patterns.filter((p) => isEvent(fixture("discussion.comment.update.hidden"), p));
    expect(hits).toEqual(["discussion.comment.update", "discussion.comment", "*"]);
  });

  it("rejects a fallback event that lacks the promised fields", () => {
    const reaction = { ...getFixture("discussion.comment.create"), event: { scope: "discussion.comment.reaction", action: "create" } };
    expect(isEvent(reaction, "discussion.comment.update")).toBe(true);
    expect(isEvent({ ...reaction, comment: null }, "discussion.comment.update")).toBe(false);
  });
});
