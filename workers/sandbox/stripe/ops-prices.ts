import { badRequest, invalidParam, missingParam } from "./errors";
import { previousAttributes } from "./event";
import { paginate, rangeFilter } from "./list";
import { buildPrice, buildProduct, type Meter, type Price, type Product, type Recurring } from "./objects";
import type { Params } from "./params";
import type { Ctx, Repo } from "./repo";

/** Prices (per-unit, one-time or recurring, licensed or metered) and the inline price_data of line items. */

const CURRENCIES = ["usd", "eur", "gbp", "cad", "aud", "jpy", "chf", "sek", "nok", "dkk", "inr", "brl", "mxn", "sgd", "hkd", "nzd", "pln", "czk"];

export function currencyParam(p: Params, key = "currency", required = true): string | undefined {
  const c = p.str(key, { required })?.toLowerCase();
  if (c !== undefined && !CURRENCIES.includes(c)) throw invalidParam(p.name(key), `Invalid currency: ${c}. Stripe currently supports these currencies: ${CURRENCIES.join(", ")}`);
  return c;
}

async function recurringParam(repo: Repo, p: Params): Promise<Recurring | null> {
  const r = p.obj("recurring");
  if (!r) return null;
  r.only(["interval", "interval_count", "meter", "trial_period_days", "usage_type", "aggregate_usage"]);
  const interval = r.enumOf("interval", ["day", "week", "month", "year"] as const, { required: true })!;
  const interval_count = r.int("interval_count", { min: 1, max: interval === "year" ? 3 : interval === "month" ? 36 : interval === "week" ? 156 : 1095 }) ?? 1;
  const usage_type = r.enumOf("usage_type", ["licensed", "metered"] as const) ?? "licensed";
  const meter = r.str("meter") ?? null;
  if (usage_type === "metered" && !meter) throw missingParam(r.name("meter"));
  if (meter) {
    if (usage_type !== "metered") throw invalidParam(r.name("meter"), "A meter can only be set on prices with `recurring[usage_type]=metered`.");
    await repo.must<Meter>("meter", meter, r.name("meter"));
  }
  return { interval, interval_count, meter, trial_period_days: r.int("trial_period_days", { min: 0, max: 730 }) ?? null, usage_type };
}

/** The amount-defining parameters shared by POST /v1/prices, product default_price_data and price_data. */
export async function priceFields(repo: Repo, p: Params) {
  const currency = currencyParam(p)!;
  const recurring = await recurringParam(repo, p);
  const cua = p.obj("custom_unit_amount");
  let unit_amount = p.int("unit_amount", { min: 0, max: 99_999_999 });
  const decimal = p.decimal("unit_amount_decimal");
  if (unit_amount === undefined && decimal !== undefined) unit_amount = Math.round(decimal);
  let custom_unit_amount: { maximum: number | null; minimum: number | null; preset: number | null } | null = null;
  if (cua && cua.bool("enabled")) {
    if (recurring) throw invalidParam(p.name("custom_unit_amount"), "custom_unit_amount is only supported for one-time prices.");
    custom_unit_amount = { maximum: cua.int("maximum") ?? null, minimum: cua.int("minimum") ?? null, preset: cua.int("preset") ?? null };
  } else if (unit_amount === undefined) {
    throw missingParam(p.name("unit_amount"));
  }
  return {
    currency,
    recurring,
    unit_amount: custom_unit_amount ? null : unit_amount!,
    custom_unit_amount,
    tax_behavior: p.enumOf("tax_behavior", ["exclusive", "inclusive", "unspecified"] as const),
    metadata: p.metadata("metadata"),
  };
}

async function claimLookupKey(repo: Repo, ctx: Ctx, key: string, transfer: boolean, self?: string) {
  const holder = (await repo.all<Price>("price")).find((r) => r.obj.lookup_key === key && r.obj.id !== self);
  if (!holder) return;
  if (!transfer) throw invalidParam("lookup_key", `A price (\`${holder.obj.id}\`) already uses that lookup key.`);
  const before = holder.obj;
  const after = { ...before, lookup_key: null };
  await repo.put("price", { ...holder, obj: after });
  await repo.emit(ctx, "price.updated", after, { lookup_key: key });
}

export async function createPrice(repo: Repo, ctx: Ctx, p: Params) {
  p.only([
    "active", "billing_scheme", "currency", "currency_options", "custom_unit_amount", "lookup_key", "metadata", "nickname", "product",
    "product_data", "recurring", "tax_behavior", "tiers", "tiers_mode", "transfer_lookup_key", "transform_quantity", "unit_amount", "unit_amount_decimal",
  ]);
  if (p.enumOf("billing_scheme", ["per_unit", "tiered"] as const) === "tiered") throw invalidParam("billing_scheme", "The sandbox supports billing_scheme=per_unit only.");
  const productId = p.str("product");
  const productData = p.obj("product_data");
  if (productId && productData) throw badRequest("You may only specify one of these parameters: product, product_data.");
  if (!productId && !productData) throw missingParam("product");
  // Stripe reports missing and malformed parameters before unknown referenced objects.
  const fields = await priceFields(repo, p);
  if (productId) await repo.must<Product>("product", productId, "product");
  const lookup_key = p.str("lookup_key", { max: 200 });
  if (lookup_key) await claimLookupKey(repo, ctx, lookup_key, p.bool("transfer_lookup_key") ?? false);
  let product = productId;
  let newProduct: Product | undefined;
  if (productData) {
    productData.only(["active", "id", "metadata", "name", "statement_descriptor", "tax_code", "tax_details", "unit_label"]);
    const { id: pid, seq } = await repo.newId("product");
    newProduct = buildProduct(pid, ctx.now, {
      name: productData.str("name", { required: true, max: 250 })!,
      active: productData.bool("active"),
      metadata: productData.metadata("metadata"),
      statement_descriptor: productData.nullableStr("statement_descriptor"),
      unit_label: productData.nullableStr("unit_label"),
      tax_code: productData.nullableStr("tax_code"),
    });
    await repo.put("product", { seq, obj: newProduct });
    product = pid;
  }
  const { id, seq } = await repo.newId("price");
  const price = buildPrice(id, ctx.now, {
    ...fields,
    product: product!,
    active: p.bool("active"),
    lookup_key: lookup_key ?? null,
    nickname: p.nullableStr("nickname"),
  });
  await repo.put("price", { seq, obj: price });
  if (newProduct) await repo.emit(ctx, "product.created", newProduct);
  await repo.emit(ctx, "price.created", price);
  return price;
}

export async function retrievePrice(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only([]);
  return (await repo.must<Price>("price", id)).obj;
}

export async function updatePrice(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only(["active", "currency_options", "lookup_key", "metadata", "nickname", "tax_behavior", "transfer_lookup_key"]);
  const rec = await repo.must<Price>("price", id);
  const after: Price = { ...rec.obj };
  const active = p.bool("active");
  if (active !== undefined) after.active = active;
  const metadata = p.metadata("metadata", rec.obj.metadata);
  if (metadata) after.metadata = metadata;
  const nickname = p.nullableStr("nickname");
  if (nickname !== undefined) after.nickname = nickname;
  const tax = p.enumOf("tax_behavior", ["exclusive", "inclusive", "unspecified"] as const);
  if (tax) after.tax_behavior = tax;
  const lookup = p.nullableStr("lookup_key", { max: 200 });
  if (lookup) await claimLookupKey(repo, ctx, lookup, p.bool("transfer_lookup_key") ?? false, id);
  if (lookup !== undefined) after.lookup_key = lookup;
  const previous = previousAttributes(rec.obj, after);
  await repo.put("price", { ...rec, obj: after });
  if (Object.keys(previous).length) await repo.emit(ctx, "price.updated", after, previous);
  return after;
}

export async function listPrices(repo: Repo, _ctx: Ctx, p: Params) {
  p.only(["active", "created", "currency", "ending_before", "limit", "lookup_keys", "product", "recurring", "starting_after", "type"]);
  const active = p.bool("active");
  const currency = p.str("currency")?.toLowerCase();
  const product = p.str("product");
  const type = p.enumOf("type", ["one_time", "recurring"] as const);
  const lookupKeys = p.strArr("lookup_keys");
  const rec = p.obj("recurring")?.only(["interval", "meter", "usage_type"]);
  const interval = rec?.enumOf("interval", ["day", "week", "month", "year"] as const);
  const usage = rec?.enumOf("usage_type", ["licensed", "metered"] as const);
  const meter = rec?.str("meter");
  const inRange = rangeFilter(p);
  const all = await repo.all<Price>("price");
  const seqs = new Map(all.map((r) => [r.obj.id, r.seq]));
  const matching = all.filter(({ obj }) => {
    if (active !== undefined && obj.active !== active) return false;
    if (currency !== undefined && obj.currency !== currency) return false;
    if (product !== undefined && obj.product !== product) return false;
    if (type !== undefined && obj.type !== type) return false;
    if (lookupKeys && (obj.lookup_key === null || !lookupKeys.includes(obj.lookup_key))) return false;
    if (interval !== undefined && obj.recurring?.interval !== interval) return false;
    if (usage !== undefined && obj.recurring?.usage_type !== usage) return false;
    if (meter !== undefined && obj.recurring?.meter !== meter) return false;
    return inRange(obj.created);
  });
  return paginate(matching, p, "/v1/prices", "price", (pid) => seqs.get(pid));
}

/**
 * The price of one line (`items[0]`, `line_items[0]`): an existing `price` id or inline `price_data`
 * (which Stripe turns into a price object of its own). Inactive prices are refused.
 */
export async function linePrice(repo: Repo, ctx: Ctx, item: Params, opts: { productData: boolean }): Promise<{ price: Price; productName: string }> {
  const priceId = item.str("price");
  const data = item.obj("price_data");
  if (priceId && data) throw badRequest(`You may only specify one of these parameters: ${item.name("price")}, ${item.name("price_data")}.`);
  if (priceId) {
    const rec = await repo.must<Price>("price", priceId, item.name("price"));
    if (!rec.obj.active) throw invalidParam(item.name("price"), "The price specified is inactive. This field only accepts active prices.");
    const product = await repo.get<Product>("product", rec.obj.product);
    return { price: rec.obj, productName: product?.obj.name ?? rec.obj.product };
  }
  if (!data) throw missingParam(item.name("price"));
  data.only(["currency", "product", "product_data", "recurring", "tax_behavior", "unit_amount", "unit_amount_decimal"]);
  const productId = data.str("product");
  const productData = opts.productData ? data.obj("product_data") : undefined;
  if (!productId && !productData) throw missingParam(data.name("product"));
  let product: Product;
  if (productId) product = (await repo.must<Product>("product", productId, data.name("product"))).obj;
  else {
    productData!.only(["description", "images", "metadata", "name", "tax_code", "unit_label"]);
    const { id, seq } = await repo.newId("product");
    product = buildProduct(id, ctx.now, {
      name: productData!.str("name", { required: true, max: 250 })!,
      description: productData!.nullableStr("description"),
      metadata: productData!.metadata("metadata"),
      active: false,
    });
    await repo.put("product", { seq, obj: product });
  }
  const fields = await priceFields(repo, data);
  const { id, seq } = await repo.newId("price");
  const price = buildPrice(id, ctx.now, { ...fields, product: product.id, active: false });
  await repo.put("price", { seq, obj: price });
  return { price, productName: product.name };
}
