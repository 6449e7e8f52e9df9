import type { Invoice } from "./invoice";
import { paginate, rangeFilter } from "./list";
import type { Params } from "./params";
import type { Ctx, Repo } from "./repo";

// ---- invoices (read-only: the sandbox issues them as subscriptions start and renew)

export async function retrieveInvoice(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only([]);
  return (await repo.must<Invoice>("invoice", id)).obj;
}

export async function listInvoices(repo: Repo, _ctx: Ctx, p: Params) {
  p.only(["collection_method", "created", "customer", "customer_account", "due_date", "ending_before", "limit", "starting_after", "status", "subscription"]);
  const customer = p.str("customer");
  const subscription = p.str("subscription");
  const status = p.enumOf("status", ["draft", "open", "paid", "uncollectible", "void"] as const);
  const inRange = rangeFilter(p);
  const all = await repo.all<Invoice>("invoice");
  const seqs = new Map(all.map((r) => [r.obj.id, r.seq]));
  const matching = all.filter(
    ({ obj }) =>
      (customer === undefined || obj.customer === customer) &&
      (subscription === undefined || obj.parent?.subscription_details?.subscription === subscription) &&
      (status === undefined || obj.status === status) &&
      inRange(obj.created as number),
  );
  return paginate(matching, p, "/v1/invoices", "invoice", (iid) => seqs.get(iid));
}
