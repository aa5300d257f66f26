// The engine-neutral statements, behind one module so that a store loads kysely (263 modules, ~65 ms) on the first
// statement that needs it, not when it opens: a server whose log is already migrated starts without it.
export { migrateStore } from "./migrate.js";
export { countDeliveries } from "./statements/count-deliveries.js";
export { listDeliveries } from "./statements/list-deliveries.js";
export { countsByStatus, queueStats } from "./statements/queue-stats.js";
export { deliveryHealth } from "./statements/delivery-health.js";
export { getDelivery, listAttempts } from "./statements/read-delivery.js";
export { replayDelivery, replayMatching } from "./statements/replay-deliveries.js";
