// Schema for kit-generate.mjs (new_migration_interop_test): the second state, a column and a table more.
import { int, mysqlTable, varchar } from "drizzle-orm/mysql-core";

export const users = mysqlTable("users", {
  id: int("id").primaryKey().autoincrement(),
  name: varchar("name", { length: 100 }).notNull(),
  email: varchar("email", { length: 200 }),
});

export const posts = mysqlTable("posts", {
  id: int("id").primaryKey().autoincrement(),
  userId: int("user_id").references(() => users.id),
  title: varchar("title", { length: 100 }),
});
