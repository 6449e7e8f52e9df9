import { badRequest, invalidParam, missingParam, StripeApiError } from "./errors";
import { previousAttributes } from "./event";
import { paginate, rangeFilter } from "./list";
import { buildPrice, buildProduct, deletedStub, type Price, type Product } from "./objects";
import { priceFields } from "./ops-prices";
import type { Params } from "./params";
import type { Ctx, Repo } from "./repo";

const PRODUCT_FIELDS = ["active", "description", "images", "marketing_features", "metadata", "name", "package_dimensions", "shippable", "statement_descriptor", "tax_code", "unit_label", "url"] as const;

function productFields(p: Params, current?: Product) {
  return {
    name: p.str("name", { max: 250 }),
    active: p.bool("active"),
    description: p.nullableStr("description", { max: 40000 }),
    metadata: p.metadata("metadata", current?.metadata),
    images: p.strArr("images"),
    statement_descriptor: p.nullableStr("statement_descriptor", { max: 22 }),
    unit_label: p.nullableStr("unit_label", { max: 12 }),
    url: p.nullableStr("url", { max: 5000 }),
    tax_code: p.nullableStr("tax_code"),
    marketing_features: p.arr("marketing_features")?.map((f) => ({ name: f.str("name", { required: true, max: 80 })! })),
  };
}

export async function createProduct(repo: Repo, ctx: Ctx, p: Params) {
  p.only([...PRODUCT_FIELDS, "default_price_data", "id", "tax_details", "type"]);
  const f = productFields(p);
  if (f.name === undefined) throw missingParam("name");
  const customId = p.str("id", { max: 100 });
  if (customId !== undefined && !/^[A-Za-z0-9_-]+$/.test(customId)) throw invalidParam("id", "Invalid id: may only contain letters, digits, '_' and '-'.");
  if (customId !== undefined && (await repo.get("product", customId))) {
    throw new StripeApiError(400, { type: "invalid_request_error", code: "resource_already_exists", message: "Product already exists.", param: "id" });
  }
  const { id, seq } = customId === undefined ? await repo.newId("product") : { id: customId, seq: await repo.seq("product") };
  const priceData = p.obj("default_price_data");
  const product = buildProduct(id, ctx.now, { ...f, name: f.name });
  let price: Price | undefined;
  if (priceData) {
    priceData.only(["currency", "currency_options", "custom_unit_amount", "metadata", "recurring", "tax_behavior", "unit_amount", "unit_amount_decimal"]);
    const fields = await priceFields(repo, priceData);
    const pid = await repo.newId("price");
    price = buildPrice(pid.id, ctx.now, { ...fields, product: id });
    product.default_price = price.id;
    await repo.put("price", { seq: pid.seq, obj: price });
  }
  await repo.put("product", { seq, obj: product });
  await repo.emit(ctx, "product.created", product);
  if (price) await repo.emit(ctx, "price.created", price);
  return product;
}

export async function retrieveProduct(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only([]);
  const rec = await repo.get<Product>("product", id);
  if (rec?.deleted) return deletedStub(id, "product");
  return (await repo.must<Product>("product", id)).obj;
}

export async function updateProduct(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only([...PRODUCT_FIELDS, "default_price", "tax_details"]);
  const rec = await repo.must<Product>("product", id);
  const f = productFields(p, rec.obj);
  const after: Product = { ...rec.obj };
  for (const [k, v] of Object.entries(f)) if (v !== undefined) after[k] = v;
  const defaultPrice = p.nullableStr("default_price");
  if (defaultPrice) {
    const price = await repo.must<Price>("price", defaultPrice, "default_price");
    if (price.obj.product !== id) throw invalidParam("default_price", `The price ${defaultPrice} does not belong to product ${id}.`);
  }
  if (defaultPrice !== undefined) after.default_price = defaultPrice;
  const previous = previousAttributes(rec.obj, after);
  if (Object.keys(previous).length) after.updated = ctx.now;
  await repo.put("product", { ...rec, obj: after });
  if (Object.keys(previous).length) await repo.emit(ctx, "product.updated", after, previous);
  return after;
}

export async function deleteProduct(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only([]);
  const rec = await repo.must<Product>("product", id);
  const prices = (await repo.all<Price>("price")).filter((r) => r.obj.product === id);
  if (prices.length) throw badRequest("This product cannot be deleted because it has one or more user-created prices.");
  await repo.put("product", { ...rec, deleted: true });
  await repo.emit(ctx, "product.deleted", rec.obj);
  return deletedStub(id, "product");
}

export async function listProducts(repo: Repo, _ctx: Ctx, p: Params) {
  p.only(["active", "created", "ending_before", "ids", "limit", "shippable", "starting_after", "url"]);
  const active = p.bool("active");
  const ids = p.strArr("ids");
  const url = p.str("url");
  const inRange = rangeFilter(p);
  const all = (await repo.all<Product>("product")).filter((r) => !r.deleted);
  const seqs = new Map(all.map((r) => [r.obj.id, r.seq]));
  const matching = all.filter(
    (r) => (active === undefined || r.obj.active === active) && (!ids || ids.includes(r.obj.id)) && (url === undefined || r.obj.url === url) && inRange(r.obj.created),
  );
  return paginate(matching, p, "/v1/products", "product", (pid) => seqs.get(pid));
}
