CREATE TABLE `health_sample` (
	`component` text NOT NULL,
	`at` integer NOT NULL,
	`status` text NOT NULL,
	`error_rate` real,
	`latency_ms` integer,
	PRIMARY KEY(`component`, `at`)
);
--> statement-breakpoint
CREATE INDEX `health_sample_at_idx` ON `health_sample` (`at`);--> statement-breakpoint
CREATE INDEX `health_sample_status_at_idx` ON `health_sample` (`status`,`at`);--> statement-breakpoint
CREATE TABLE `upstream_tally` (
	`provider` text NOT NULL,
	`minute` integer NOT NULL,
	`ok` integer NOT NULL,
	`failed` integer NOT NULL,
	`latency_ms` integer NOT NULL,
	PRIMARY KEY(`provider`, `minute`)
);
--> statement-breakpoint
CREATE INDEX `upstream_tally_minute_idx` ON `upstream_tally` (`minute`);