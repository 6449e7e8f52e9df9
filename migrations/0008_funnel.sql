CREATE TABLE `funnel_signup` (
	`user_id` text PRIMARY KEY NOT NULL,
	`visitor_id` text,
	`brand` text NOT NULL,
	`signed_up_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`visitor_id`) REFERENCES `funnel_visitor`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `funnel_signup_visitor_idx` ON `funnel_signup` (`visitor_id`);--> statement-breakpoint
CREATE INDEX `funnel_signup_at_idx` ON `funnel_signup` (`signed_up_at`);--> statement-breakpoint
CREATE TABLE `funnel_visitor` (
	`id` text PRIMARY KEY NOT NULL,
	`brand` text NOT NULL,
	`variants` text NOT NULL,
	`landing` text NOT NULL,
	`first_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `funnel_visitor_first_idx` ON `funnel_visitor` (`first_at`);