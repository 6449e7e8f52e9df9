CREATE TABLE `ide_link` (
	`hash` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`user_id` text NOT NULL,
	`client` text NOT NULL,
	`scopes` text NOT NULL,
	`template_id` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`key_id` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ide_link_user_idx` ON `ide_link` (`user_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `ide_template` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`settings` text NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `ide_template_name_idx` ON `ide_template` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `mcp_session` (
	`id` text PRIMARY KEY NOT NULL,
	`credential_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`protocol_version` text NOT NULL,
	`client_name` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`last_seen_at` integer NOT NULL,
	`closed_at` integer
);
--> statement-breakpoint
CREATE INDEX `mcp_session_seen_idx` ON `mcp_session` (`last_seen_at`);--> statement-breakpoint
ALTER TABLE `api_key` ADD `scopes` text;