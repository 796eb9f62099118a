// Schema for kit-generate.mjs (merge_interop_test): branches A and B merged, `posts` and `tags`.
import { int, mysqlTable, varchar } from "drizzle-orm/mysql-core";

export const users = mysqlTable("users", {
  id: int("id").primaryKey().autoincrement(),
  name: varchar("name", { length: 100 }).notNull(),
});

export const posts = mysqlTable("posts", {
  id: int("id").primaryKey().autoincrement(),
  title: varchar("title", { length: 100 }),
});

export const tags = mysqlTable("tags", {
  id: int("id").primaryKey().autoincrement(),
  label: varchar("label", { length: 50 }).notNull(),
});
