import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { StoreSchema } from "./schema.js";
import type { DeliveryFilter } from "./types.js";

/**
 * A `DeliveryFilter` as one SQL condition, shared by list, count and bulk replay.
 * @example
 * db.selectFrom("deliveries").selectAll().where((eb) => deliveryFilterExpression(eb, { status: "dead" }));
 */
export function deliveryFilterExpression(
  eb: ExpressionBuilder<StoreSchema, "deliveries">,
  filter: DeliveryFilter,
): Expression<SqlBool> {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.endpoint !== undefined) conditions.push(eb("endpoint", "=", filter.endpoint));
  if (filter.status !== undefined) {
    const statuses = Array.isArray(filter.status) ? filter.status : [filter.status];
    conditions.push(statuses.length > 0 ? eb("status", "in", statuses) : sql<SqlBool>`1 = 0`);
  }
  if (filter.scope !== undefined) conditions.push(eb("scope", "=", filter.scope));
  if (filter.repoType !== undefined) conditions.push(eb("repo_type", "=", filter.repoType));
  if (filter.repo !== undefined && filter.repo !== "") {
    // lower() on both sides: LIKE is case-insensitive on SQLite but not on Postgres.
    const pattern = `%${escapeLike(filter.repo.toLowerCase())}%`;
    conditions.push(sql<SqlBool>`lower(${eb.ref("repo_name")}) like ${pattern} escape '\\'`);
  }
  if (filter.since !== undefined) conditions.push(eb("received_at", ">=", filter.since));
  if (filter.until !== undefined) conditions.push(eb("received_at", "<", filter.until));
  return eb.and(conditions);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
