// Schema for kit-generate.mjs (merge_interop_test): the other branch adds users.age (the same-table case).
import { int, mysqlTable, varchar } from "drizzle-orm/mysql-core";

export const users = mysqlTable("users", {
  id: int("id").primaryKey().autoincrement(),
  name: varchar("name", { length: 100 }).notNull(),
  age: int("age"),
});
