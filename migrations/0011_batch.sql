CREATE TABLE `batch_file` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`purpose` text NOT NULL,
	`filename` text NOT NULL,
	`bytes` integer NOT NULL,
	`r2_key` text NOT NULL,
	`batch_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `batch_file_workspace_idx` ON `batch_file` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `batch` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`status` text NOT NULL,
	`input_file_id` text NOT NULL,
	`view` text NOT NULL,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `batch_workspace_idx` ON `batch` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `batch_status_idx` ON `batch` (`status`,`updated_at`);