CREATE TABLE `posts` (
	`a` int NOT NULL,
	`b` int NOT NULL,
	`user_id` int,
	`title` varchar(50),
	CONSTRAINT `posts_a_b_pk` PRIMARY KEY(`a`,`b`),
	CONSTRAINT `title_u` UNIQUE(`title`,`a`),
	CONSTRAINT `ui` UNIQUE(`b`)
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` int AUTO_INCREMENT NOT NULL,
	`name` varchar(100) NOT NULL DEFAULT 'x',
	`email` varchar(200),
	`created` timestamp DEFAULT (now()) ON UPDATE CURRENT_TIMESTAMP,
	`role` enum('a','b'),
	`data` json,
	CONSTRAINT `users_id` PRIMARY KEY(`id`),
	CONSTRAINT `users_email_unique` UNIQUE(`email`),
	CONSTRAINT `name_chk` CHECK(char_length(`users`.`name`) > 0)
);
--> statement-breakpoint
ALTER TABLE `posts` ADD CONSTRAINT `posts_user_id_users_id_fk` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `name_idx` ON `users` (`name`);--> statement-breakpoint
CREATE ALGORITHM = undefined
SQL SECURITY definer
VIEW `v` AS (select `id`, `name`, `email`, `created`, `role`, `data` from `users`);