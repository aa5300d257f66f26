// `hubhooks/postgres`: the Postgres engine (loads the optional peer dependency `pg` only when used).
export { createPostgresStore, type PostgresStoreOptions } from "./store/postgres/create-postgres-store.js";
export { isPostgresUrl } from "./store/resolve-database-path.js";
export { PostgresDeliveryStore } from "./store/postgres/postgres-delivery-store.js";
