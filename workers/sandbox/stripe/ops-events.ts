import { invalidParam } from "./errors";
import { paginate, rangeFilter } from "./list";
import type { StripeEvent } from "./event";
import type { Params } from "./params";
import type { Ctx, Repo } from "./repo";

/** `customer.*` style patterns, as `type` accepts on GET /v1/events. */
export function typeMatcher(pattern: string): (type: string) => boolean {
  if (!pattern.includes("*")) return (t) => t === pattern;
  const re = new RegExp(`^${pattern.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[^]*")}$`);
  return (t) => re.test(t);
}

export async function retrieveEvent(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only([]);
  return (await repo.must<StripeEvent>("event", id)).obj;
}

export async function listEvents(repo: Repo, _ctx: Ctx, p: Params) {
  p.only(["created", "delivery_success", "ending_before", "limit", "starting_after", "type", "types"]);
  const type = p.str("type");
  const types = p.strArr("types");
  if (type && types) throw invalidParam("types", "You may only specify one of these parameters: type, types.");
  if (types && types.length > 20) throw invalidParam("types", "You may only specify up to 20 types.");
  const matchers = (types ?? (type ? [type] : [])).map(typeMatcher);
  const deliverySuccess = p.bool("delivery_success");
  const inRange = rangeFilter(p);
  const all = await repo.all<StripeEvent>("event");
  const seqs = new Map(all.map((r) => [r.obj.id, r.seq]));
  const matching = all.filter(
    ({ obj }) =>
      (!matchers.length || matchers.some((m) => m(obj.type))) &&
      (deliverySuccess === undefined || (obj.pending_webhooks === 0) === deliverySuccess) &&
      inRange(obj.created),
  );
  return paginate(matching, p, "/v1/events", "event", (eid) => seqs.get(eid));
}
