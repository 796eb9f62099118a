// Schema for kit-generate.mjs (merge_interop_test): one branch adds users.bio (the same-table case).
import { int, mysqlTable, varchar } from "drizzle-orm/mysql-core";

export const users = mysqlTable("users", {
  id: int("id").primaryKey().autoincrement(),
  name: varchar("name", { length: 100 }).notNull(),
  bio: varchar("bio", { length: 200 }),
});
