CREATE TABLE `catalog_sync` (
	`id` text PRIMARY KEY NOT NULL,
	`pass` integer NOT NULL,
	`cursor` text,
	`watermark` integer,
	`seen` integer NOT NULL,
	`upserted` integer NOT NULL,
	`skipped` integer NOT NULL,
	`deleted` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`error` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `collection` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`owner_id` text,
	`name` text NOT NULL,
	`description` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `organization`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`owner_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `collection_workspace_idx` ON `collection` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `collection_owner_idx` ON `collection` (`owner_id`);--> statement-breakpoint
CREATE TABLE `collection_item` (
	`collection_id` text NOT NULL,
	`model_id` text NOT NULL,
	`note` text,
	`added_by` text,
	`added_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`collection_id`, `model_id`),
	FOREIGN KEY (`collection_id`) REFERENCES `collection`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`added_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `favorite` (
	`user_id` text NOT NULL,
	`model_id` text NOT NULL,
	`note` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`user_id`, `model_id`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `hf_model` (
	`rowid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`author` text NOT NULL,
	`task` text,
	`library` text,
	`license` text,
	`tags` text NOT NULL,
	`search_text` text NOT NULL,
	`downloads` integer NOT NULL,
	`likes` integer NOT NULL,
	`trending` integer NOT NULL,
	`created_at` integer,
	`modified_at` integer,
	`gated` integer NOT NULL,
	`params` integer,
	`context_length` integer,
	`architecture` text,
	`size_bucket` text NOT NULL,
	`categories` text NOT NULL,
	`deployable` integer NOT NULL,
	`seen_pass` integer NOT NULL,
	`synced_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hf_model_id_unique` ON `hf_model` (`id`);--> statement-breakpoint
CREATE INDEX `hf_model_downloads_idx` ON `hf_model` (`downloads`);--> statement-breakpoint
CREATE INDEX `hf_model_likes_idx` ON `hf_model` (`likes`);--> statement-breakpoint
CREATE INDEX `hf_model_trending_idx` ON `hf_model` (`trending`);--> statement-breakpoint
CREATE INDEX `hf_model_modified_idx` ON `hf_model` (`modified_at`);--> statement-breakpoint
CREATE INDEX `hf_model_task_idx` ON `hf_model` (`task`,`downloads`);--> statement-breakpoint
CREATE INDEX `hf_model_author_idx` ON `hf_model` (`author`,`downloads`);--> statement-breakpoint
CREATE INDEX `hf_model_library_idx` ON `hf_model` (`library`,`downloads`);--> statement-breakpoint
CREATE INDEX `hf_model_license_idx` ON `hf_model` (`license`,`downloads`);--> statement-breakpoint
CREATE INDEX `hf_model_size_idx` ON `hf_model` (`size_bucket`,`downloads`);--> statement-breakpoint
CREATE INDEX `hf_model_seen_idx` ON `hf_model` (`seen_pass`);--> statement-breakpoint
CREATE TABLE `hf_model_category` (
	`category` text NOT NULL,
	`model_id` text NOT NULL,
	`downloads` integer NOT NULL,
	PRIMARY KEY(`category`, `model_id`)
);
--> statement-breakpoint
CREATE INDEX `hf_model_category_browse_idx` ON `hf_model_category` (`category`,`downloads`);--> statement-breakpoint
CREATE TABLE `model_popularity` (
	`model_id` text PRIMARY KEY NOT NULL,
	`requests_7d` integer NOT NULL,
	`deployments_7d` integer NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
-- Full-text search over a model's id, author and tags (FTS5, external content: the text lives in hf_model
-- and the triggers below keep the index in step). Written by hand: drizzle-kit does not write virtual tables.
CREATE VIRTUAL TABLE `hf_model_fts` USING fts5(id, author, tags, content='hf_model', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
CREATE TRIGGER `hf_model_fts_insert` AFTER INSERT ON `hf_model` BEGIN
  INSERT INTO hf_model_fts(rowid, id, author, tags) VALUES (new.rowid, new.id, new.author, new.tags);
END;--> statement-breakpoint
CREATE TRIGGER `hf_model_fts_delete` AFTER DELETE ON `hf_model` BEGIN
  INSERT INTO hf_model_fts(hf_model_fts, rowid, id, author, tags) VALUES ('delete', old.rowid, old.id, old.author, old.tags);
END;--> statement-breakpoint
CREATE TRIGGER `hf_model_fts_update` AFTER UPDATE OF id, author, tags ON `hf_model` BEGIN
  INSERT INTO hf_model_fts(hf_model_fts, rowid, id, author, tags) VALUES ('delete', old.rowid, old.id, old.author, old.tags);
  INSERT INTO hf_model_fts(rowid, id, author, tags) VALUES (new.rowid, new.id, new.author, new.tags);
END;
