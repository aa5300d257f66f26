import type { Kysely } from "kysely";
import { deliveryFilterExpression } from "../delivery-filter.js";
import { decodeListCursor, encodeListCursor } from "../list-cursor.js";
import { toDeliveryRecord } from "../row-mapping.js";
import type { StoreSchema } from "../schema.js";
import type { DeliveryFilter, DeliveryPage } from "../types.js";

/** Largest page; a bigger `limit` is clamped. */
export const MAX_PAGE_SIZE = 500;

/**
 * Newest first with keyset pagination on (received_at, id): every page is an index range scan, so page
 * 1000 costs what page 1 does, and rows inserted meanwhile never shift a page.
 * @example
 * const first = await listDeliveries(db, { status: "dead" }, { limit: 50 });
 * const second = await listDeliveries(db, { status: "dead" }, { limit: 50, cursor: first.nextCursor! });
 */
export async function listDeliveries(
  db: Kysely<StoreSchema>,
  filter: DeliveryFilter,
  page: { limit: number; cursor?: string },
): Promise<DeliveryPage> {
  const limit = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(page.limit) || 1));
  let query = db
    .selectFrom("deliveries")
    .selectAll()
    .where((eb) => deliveryFilterExpression(eb, filter));
  if (page.cursor) {
    const after = decodeListCursor(page.cursor);
    query = query.where((eb) => eb(eb.refTuple("received_at", "id"), "<", eb.tuple(after.receivedAt, after.id)));
  }
  const rows = await query.orderBy("received_at", "desc").orderBy("id", "desc").limit(limit + 1).execute();
  const items = rows.slice(0, limit).map(toDeliveryRecord);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last ? encodeListCursor({ receivedAt: last.receivedAt, id: last.id }) : null,
  };
}
