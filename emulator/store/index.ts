export * from "./types";
export { openSqliteStore, MIGRATIONS, NO_PROJECT } from "./sqlite";
