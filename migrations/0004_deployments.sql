CREATE TABLE `deployment` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`created_by` text,
	`name` text NOT NULL,
	`model` text NOT NULL,
	`engine` text NOT NULL,
	`state` text NOT NULL,
	`rev` integer NOT NULL,
	`endpoint_id` text,
	`served_model` text NOT NULL,
	`gpu_pool` text NOT NULL,
	`gpu_count` integer NOT NULL,
	`workers_min` integer NOT NULL,
	`workers_max` integer NOT NULL,
	`price` text NOT NULL,
	`worker_micros_per_second` integer NOT NULL,
	`error` text,
	`idempotency_key` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`ready_at` integer,
	`deleted_at` integer,
	FOREIGN KEY (`workspace_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `deployment_workspace_idx` ON `deployment` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `deployment_state_idx` ON `deployment` (`state`,`updated_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `deployment_live_name_idx` ON `deployment` (`workspace_id`,`name`) WHERE state not in ('deleted', 'failed');--> statement-breakpoint
CREATE UNIQUE INDEX `deployment_idempotency_idx` ON `deployment` (`workspace_id`,`idempotency_key`);--> statement-breakpoint
CREATE TABLE `deployment_event` (
	`deployment_id` text NOT NULL,
	`seq` integer NOT NULL,
	`at` integer NOT NULL,
	`state` text NOT NULL,
	`note` text NOT NULL,
	PRIMARY KEY(`deployment_id`, `seq`),
	FOREIGN KEY (`deployment_id`) REFERENCES `deployment`(`id`) ON UPDATE no action ON DELETE cascade
);
