import { describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../src/store/migrate.js";
import { MIGRATION_NAMES } from "../../src/store/migration-names.js";

describe("MIGRATION_NAMES (what a store checks before loading kysely's migrator)", () => {
  it("is the list of MIGRATIONS, in order: a migration added to one and not the other would be skipped at start", () => {
    expect([...MIGRATION_NAMES]).toEqual(Object.keys(MIGRATIONS));
  });
});
