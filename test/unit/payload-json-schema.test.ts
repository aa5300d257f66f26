import * as z from "zod";
import { describe, expect, it } from "vitest";
import { FIXTURE_NAMES, getFixture, webhookPayloadJsonSchema } from "../../src/payload/index.js";

describe("webhookPayloadJsonSchema", () => {
  const schema = webhookPayloadJsonSchema() as Record<string, any>;

  it("is a draft 2020-12 document with an id and a title", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.$id).toBe("urn:hubhooks:hub-webhook-payload:v3");
    expect(schema.title).toBe("Hugging Face Hub webhook payload (version 3)");
    expect(Object.keys(schema).slice(0, 2)).toEqual(["$schema", "$id"]);
  });

  it("describes the lenient shape: event and repo required, extra properties allowed, open strings", () => {
    expect(schema.type).toBe("object");
    expect(schema.required).toEqual(["event", "repo"]);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(["event", "repo", "discussion", "comment", "updatedRefs", "updatedConfig", "movedTo", "webhook"]),
    );
    expect(schema.additionalProperties).toEqual({});
    expect(schema.properties.repo.required).toEqual(["type", "name"]);
    expect(schema.properties.repo.properties.type).toMatchObject({ type: "string", examples: ["model", "dataset", "space", "bucket"] });
    expect(schema.properties.event.properties.scope.type).toBe("string");
    expect(schema.properties.repo.properties.headSha.type).toEqual(["string", "null"]);
  });

  it("returns a fresh object each call", () => {
    const a = webhookPayloadJsonSchema();
    a.title = "changed";
    expect(webhookPayloadJsonSchema().title).toBe("Hugging Face Hub webhook payload (version 3)");
  });

  it("validates like the parser once read back by a JSON Schema reader (zod's fromJSONSchema)", () => {
    const reader = z.fromJSONSchema(webhookPayloadJsonSchema() as never);
    for (const name of FIXTURE_NAMES) expect(reader.safeParse(getFixture(name)).success, name).toBe(true);
    expect(reader.safeParse({ event: { scope: "x.y", action: "z" }, repo: { type: "notebook", name: "a/b" }, extra: 1 }).success).toBe(true);
    expect(reader.safeParse({ event: { scope: "repo" }, repo: { type: "model", name: "a/b" } }).success).toBe(false);
    expect(reader.safeParse({ event: { scope: "repo", action: "create" }, repo: { type: "model" } }).success).toBe(false);
    expect(reader.safeParse(getFixture("repo.create", { set: { "discussion.num": "4" } })).success).toBe(false);
  });
});
