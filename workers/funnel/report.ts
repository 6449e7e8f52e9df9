import { isBrandId } from "../brand/brands";
import { PLANS } from "../budgets/plans";
import { EXPERIMENTS, type Assignment } from "./experiments";
import { buildReport, type CohortRow, type FunnelReport } from "./stats";
import type { FunnelWindow } from "./window";

/**
 * Reads the cohort of a window from D1 and turns it into the report (the statistics are in stats.ts).
 * Only the entry (visit, sign-up) is stored by the funnel; every later step is derived here from the
 * tables that already record it, so no capability needs a funnel hook:
 *
 * - api_call: a bridge call billed to a workspace the user owns, or made with a key the user created
 *   (usage_event, and usage_daily, which keeps the day and key after raw events are pruned);
 * - deployment: a deployment the user created, in any state (`deployment.created_by`);
 * - ide_setup: a QR setup link of theirs that was redeemed (`ide_link.used_at`), a device-pairing key
 *   (its audit entry `key.create` with `"via":"device pairing"`: exact, append-only, outlives the key and
 *   its name), or an MCP session opened with a key they created (sessions are pruned when idle, so this
 *   one only adds recent MCP-only setups);
 * - upgrade: a paid plan (pro, team, enterprise) on a workspace the user owns (`workspace_plan`, which
 *   billing and platform admins both write) or a Stripe subscription to one (`billing_subscription`).
 *
 * "Owns" is the owner role in `member` (roles may be stored as a list, e.g. "owner,admin").
 */
const PAID = Object.entries(PLANS)
  .filter(([, p]) => p.priceUsd !== 0)
  .map(([id]) => `'${id}'`)
  .join(", ");

const COHORT_SQL = `
with subjects as (
  select v.brand as brand, v.variants as variants, 1 as visited, s.user_id as uid
    from funnel_visitor v left join funnel_signup s on s.visitor_id = v.id
   where v.first_at >= ?1 and v.first_at < ?2
  union all
  select s.brand, null, 0, s.user_id
    from funnel_signup s
   where s.visitor_id is null and s.signed_up_at >= ?1 and s.signed_up_at < ?2
),
owned as (
  select user_id as uid, organization_id as ws from member where (',' || replace(role, ' ', '') || ',') like '%,owner,%'
),
api_users as (
  select o.uid from owned o where exists (select 1 from usage_daily d where d.workspace_id = o.ws)
                               or exists (select 1 from usage_event e where e.workspace_id = o.ws)
  union
  select k.created_by from api_key k
   where k.created_by is not null
     and k.id in (select key_id from usage_event where key_id is not null union select key_id from usage_daily where key_id != '')
),
deploy_users as (
  select created_by as uid from deployment where created_by is not null
),
ide_users as (
  select user_id as uid from ide_link where used_at is not null
  union
  select k.created_by from mcp_session m join api_key k on k.id = m.credential_id where k.created_by is not null
),
upgrade_users as (
  select o.uid from owned o join workspace_plan p on p.workspace_id = o.ws where p.plan in (${PAID})
  union
  select o.uid from owned o join billing_subscription b on b.workspace_id = o.ws where b.plan in (${PAID})
),
flags as (
  select brand, variants, visited,
         uid is not null as signup,
         uid is not null and uid in (select uid from api_users) as api_call,
         uid is not null and uid in (select uid from deploy_users) as deployment,
         uid is not null and (uid in (select uid from ide_users) or exists (
           select 1 from audit_log a
            where a.actor_id = subjects.uid and a.action = 'key.create' and a.after like '%"via":"device pairing"%'
         )) as ide_setup,
         uid is not null and uid in (select uid from upgrade_users) as upgrade
    from subjects
)
select brand, variants, visited, signup, api_call, deployment, ide_setup, upgrade, count(*) as n
  from flags
 group by brand, variants, visited, signup, api_call, deployment, ide_setup, upgrade`;

interface CohortSqlRow {
  brand: string;
  variants: string | null;
  visited: number;
  signup: number;
  api_call: number;
  deployment: number;
  ide_setup: number;
  upgrade: number;
  n: number;
}

function parseVariants(text: string | null): Assignment | null {
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Assignment) : {};
  } catch {
    return {};
  }
}

export async function readCohort(db: D1Database, window: FunnelWindow): Promise<CohortRow[]> {
  const { results } = await db.prepare(COHORT_SQL).bind(window.fromMs, window.toMs).all<CohortSqlRow>();
  return results
    .filter((r) => isBrandId(r.brand))
    .map((r) => ({
      brand: r.brand as CohortRow["brand"],
      variants: parseVariants(r.variants),
      reached: {
        visit: r.visited === 1,
        signup: r.signup === 1,
        api_call: r.api_call === 1,
        deployment: r.deployment === 1,
        ide_setup: r.ide_setup === 1,
        upgrade: r.upgrade === 1,
      },
      n: r.n,
    }));
}

export interface BrandFunnelReport extends FunnelReport {
  window: { from: string; to: string };
  /** Accounts made before the funnel existed (no sign-up record): in no brand's numbers. */
  unattributedUsers: number;
}

export async function readBrandFunnel(db: D1Database, window: FunnelWindow): Promise<BrandFunnelReport> {
  const [rows, unattributed] = await Promise.all([
    readCohort(db, window),
    db.prepare("select count(*) as n from user u where not exists (select 1 from funnel_signup s where s.user_id = u.id)").first<{ n: number }>(),
  ]);
  return { window: { from: window.from, to: window.to }, unattributedUsers: unattributed?.n ?? 0, ...buildReport(rows, EXPERIMENTS) };
}
