import { previousAttributes } from "./event";
import { buildCustomer, deletedStub, type Customer } from "./objects";
import { paginate, rangeFilter } from "./list";
import type { Params } from "./params";
import type { Ctx, Repo } from "./repo";
import { cancelSubscriptionNow } from "./lifecycle";
import type { Subscription } from "./billing";

const WRITABLE = [
  "address", "balance", "business_name", "cash_balance", "description", "email", "individual_name", "invoice_prefix",
  "invoice_settings", "metadata", "name", "next_invoice_sequence", "payment_method", "phone", "preferred_locales",
  "shipping", "source", "tax", "tax_exempt", "tax_id_data", "test_clock", "validate",
] as const;

function fields(p: Params, current?: Customer) {
  const invoiceSettings = p.obj("invoice_settings");
  return {
    email: p.email("email"),
    name: p.nullableStr("name", { max: 256 }),
    description: p.nullableStr("description", { max: 350 }),
    phone: p.nullableStr("phone", { max: 20 }),
    metadata: p.metadata("metadata", current?.metadata),
    address: p.passthrough("address"),
    shipping: p.passthrough("shipping"),
    preferred_locales: p.strArr("preferred_locales"),
    invoice_prefix: p.str("invoice_prefix", { max: 12 })?.toUpperCase(),
    default_payment_method: invoiceSettings?.nullableStr("default_payment_method"),
    tax_exempt: p.enumOf("tax_exempt", ["none", "exempt", "reverse"] as const),
  };
}

export async function createCustomer(repo: Repo, ctx: Ctx, p: Params) {
  p.only(WRITABLE);
  const f = fields(p);
  const { id, seq } = await repo.newId("customer");
  const customer = buildCustomer(id, ctx.now, f);
  await repo.put("customer", { seq, obj: customer });
  await repo.emit(ctx, "customer.created", customer);
  return customer;
}

export async function retrieveCustomer(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only([]);
  const rec = await repo.get<Customer>("customer", id);
  if (rec?.deleted) return deletedStub(id, "customer");
  return (await repo.must<Customer>("customer", id)).obj;
}

export async function updateCustomer(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only(WRITABLE);
  const rec = await repo.must<Customer>("customer", id);
  const before = rec.obj;
  const f = fields(p, before);
  const after: Customer = { ...before };
  for (const key of ["email", "name", "description", "phone", "address", "shipping", "preferred_locales", "invoice_prefix", "metadata", "tax_exempt"] as const) {
    if (f[key] !== undefined) (after as Record<string, unknown>)[key] = f[key];
  }
  if (f.default_payment_method !== undefined) {
    after.invoice_settings = { ...(before.invoice_settings as object), default_payment_method: f.default_payment_method };
  }
  const previous = previousAttributes(before, after);
  await repo.put("customer", { ...rec, obj: after });
  if (Object.keys(previous).length) await repo.emit(ctx, "customer.updated", after, previous);
  return after;
}

/** Deleting a customer cancels its subscriptions first, as Stripe does. */
export async function deleteCustomer(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only([]);
  const rec = await repo.must<Customer>("customer", id);
  for (const sub of await repo.all<Subscription>("subscription")) {
    if (sub.obj.customer === id && sub.obj.status !== "canceled" && sub.obj.status !== "incomplete_expired") {
      await cancelSubscriptionNow(repo, ctx, sub, "cancellation_requested");
    }
  }
  await repo.put("customer", { ...rec, deleted: true });
  await repo.emit(ctx, "customer.deleted", rec.obj);
  return deletedStub(id, "customer");
}

export async function listCustomers(repo: Repo, _ctx: Ctx, p: Params) {
  p.only(["created", "email", "ending_before", "limit", "starting_after", "test_clock"]);
  const email = p.str("email", { max: 512 });
  const inRange = rangeFilter(p);
  const all = (await repo.all<Customer>("customer")).filter((r) => !r.deleted);
  const seqs = new Map(all.map((r) => [r.obj.id, r.seq]));
  const matching = all.filter((r) => (email === undefined || r.obj.email === email) && inRange(r.obj.created));
  return paginate(matching, p, "/v1/customers", "customer", (cid) => seqs.get(cid));
}
