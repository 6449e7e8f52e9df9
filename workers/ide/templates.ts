import { z } from "zod";
import { IDE_SCOPES, KEY_SCOPES } from "../keys/scopes";
import type { IdeModels } from "./config";

/**
 * A workspace's shared IDE setup: the MCP server's name, the models Claude Code, Cursor and the SDKs are
 * pointed at, and the scopes of keys minted for it. Members read them; admins change them.
 */
export const templateSettings = z
  .object({
    serverName: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, "lowercase letters, digits and dashes, at most 40").optional(),
    models: z
      .object({
        main: z.string().min(1).max(200).optional(),
        fast: z.string().min(1).max(200).optional(),
        openai: z.string().min(1).max(200).optional(),
        gemini: z.string().min(1).max(200).optional(),
      })
      .strict()
      .default({}),
    scopes: z.array(z.enum(KEY_SCOPES)).min(1).max(KEY_SCOPES.length).optional(),
  })
  .strict();
export type TemplateSettings = z.infer<typeof templateSettings>;

export interface TemplateView {
  id: string;
  name: string;
  settings: TemplateSettings;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

type Row = { id: string; name: string; settings: string; created_by: string | null; created_at: number; updated_at: number };
const view = (r: Row): TemplateView => ({
  id: r.id,
  name: r.name,
  settings: templateSettings.parse(JSON.parse(r.settings)),
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
  updatedAt: new Date(r.updated_at).toISOString(),
});

/** The brand's defaults under a template's choices. */
export function modelsFor(defaults: IdeModels, settings: TemplateSettings | undefined): IdeModels {
  return { ...defaults, ...Object.fromEntries(Object.entries(settings?.models ?? {}).filter(([, v]) => v !== undefined)) } as IdeModels;
}

export function scopesFor(settings: TemplateSettings | undefined) {
  return settings?.scopes ?? [...IDE_SCOPES];
}

export async function listTemplates(db: D1Database, workspaceId: string): Promise<TemplateView[]> {
  const { results } = await db.prepare("SELECT id, name, settings, created_by, created_at, updated_at FROM ide_template WHERE workspace_id = ? ORDER BY name").bind(workspaceId).all<Row>();
  return results.map(view);
}

export async function getTemplate(db: D1Database, workspaceId: string, id: string): Promise<TemplateView | undefined> {
  const r = await db.prepare("SELECT id, name, settings, created_by, created_at, updated_at FROM ide_template WHERE workspace_id = ? AND id = ?").bind(workspaceId, id).first<Row>();
  return r ? view(r) : undefined;
}

/** Creates, or replaces the settings of, the template with this name; false when the name is another's. */
export async function saveTemplate(db: D1Database, workspaceId: string, userId: string, name: string, settings: TemplateSettings, now: number): Promise<TemplateView> {
  const id = `tpl_${crypto.randomUUID().replaceAll("-", "")}`;
  const r = await db
    .prepare(
      `INSERT INTO ide_template (id, workspace_id, name, settings, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (workspace_id, name) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at
       RETURNING id, name, settings, created_by, created_at, updated_at`,
    )
    .bind(id, workspaceId, name, JSON.stringify(settings), userId, now, now)
    .first<Row>();
  return view(r!);
}

export async function deleteTemplate(db: D1Database, workspaceId: string, id: string): Promise<boolean> {
  const r = await db.prepare("DELETE FROM ide_template WHERE workspace_id = ? AND id = ?").bind(workspaceId, id).run();
  return (r.meta.changes ?? 0) > 0;
}
