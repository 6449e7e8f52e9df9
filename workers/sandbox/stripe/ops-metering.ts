import { badRequest, invalidParam, missingParam, StripeApiError } from "./errors";
import { randomToken } from "./ids";
import { listOf, paginate } from "./list";
import { previousAttributes } from "./event";
import { buildMeter, type Customer, type Meter, type MeterEvent } from "./objects";
import type { Params } from "./params";
import type { Ctx, Repo } from "./repo";
import { stableId } from "../lib/text";

/** Billing meters and meter events: usage recorded per customer, aggregated per meter's formula. */

export async function createMeter(repo: Repo, ctx: Ctx, p: Params) {
  p.only(["customer_mapping", "default_aggregation", "display_name", "event_name", "event_time_window", "value_settings"]);
  const display_name = p.str("display_name", { required: true, max: 250 })!;
  const event_name = p.str("event_name", { required: true, max: 100 })!;
  const agg = p.obj("default_aggregation", { required: true })!.only(["formula"]);
  const formula = agg.enumOf("formula", ["count", "last", "sum"] as const, { required: true })!;
  const cm = p.obj("customer_mapping")?.only(["event_payload_key", "type"]);
  const customerKey = cm ? cm.str("event_payload_key", { required: true, max: 100 })! : "stripe_customer_id";
  if (cm) cm.enumOf("type", ["by_id"] as const, { required: true });
  const vs = p.obj("value_settings")?.only(["event_payload_key"]);
  const valueKey = vs ? vs.str("event_payload_key", { required: true, max: 100 })! : "value";
  const eventTimeWindow = p.enumOf("event_time_window", ["day", "hour"] as const) ?? null;
  const clash = (await repo.all<Meter>("meter")).find((r) => r.obj.status === "active" && r.obj.event_name === event_name);
  if (clash) throw invalidParam("event_name", `An active meter with event_name \`${event_name}\` already exists (\`${clash.obj.id}\`).`);
  const { id, seq } = await repo.newId("meter");
  const meter = buildMeter(id, ctx.now, { display_name, event_name, formula, customerKey, valueKey, eventTimeWindow });
  await repo.put("meter", { seq, obj: meter });
  await repo.emit(ctx, "billing.meter.created", meter);
  return meter;
}

export async function retrieveMeter(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only([]);
  return (await repo.must<Meter>("meter", id)).obj;
}

export async function updateMeter(repo: Repo, ctx: Ctx, p: Params, id: string) {
  p.only(["display_name"]);
  const rec = await repo.must<Meter>("meter", id);
  const name = p.str("display_name", { max: 250 });
  const after: Meter = { ...rec.obj, ...(name ? { display_name: name, updated: ctx.now } : {}) };
  const previous = previousAttributes(rec.obj, after);
  await repo.put("meter", { ...rec, obj: after });
  if (Object.keys(previous).length) await repo.emit(ctx, "billing.meter.updated", after, previous);
  return after;
}

export function setMeterStatus(active: boolean) {
  return async (repo: Repo, ctx: Ctx, p: Params, id: string) => {
    p.only([]);
    const rec = await repo.must<Meter>("meter", id);
    if ((rec.obj.status === "active") === active) throw badRequest(`This meter is already ${active ? "active" : "inactive"}.`);
    if (active) {
      const clash = (await repo.all<Meter>("meter")).find((r) => r.obj.status === "active" && r.obj.event_name === rec.obj.event_name);
      if (clash) throw badRequest(`An active meter with event_name \`${rec.obj.event_name}\` already exists (\`${clash.obj.id}\`).`);
    }
    const after: Meter = { ...rec.obj, status: active ? "active" : "inactive", status_transitions: { deactivated_at: active ? null : ctx.now }, updated: ctx.now };
    await repo.put("meter", { ...rec, obj: after });
    await repo.emit(ctx, active ? "billing.meter.reactivated" : "billing.meter.deactivated", after, previousAttributes(rec.obj, after));
    return after;
  };
}

export async function listMeters(repo: Repo, _ctx: Ctx, p: Params) {
  p.only(["ending_before", "limit", "starting_after", "status"]);
  const status = p.enumOf("status", ["active", "inactive"] as const);
  const all = await repo.all<Meter>("meter");
  const seqs = new Map(all.map((r) => [r.obj.id, r.seq]));
  return paginate(all.filter((r) => status === undefined || r.obj.status === status), p, "/v1/billing/meters", "billing.meter", (mid) => seqs.get(mid));
}

const MAX_PAST = 35 * 86_400;
const MAX_FUTURE = 5 * 60;

export async function createMeterEvent(repo: Repo, ctx: Ctx, p: Params) {
  p.only(["event_name", "identifier", "payload", "timestamp"]);
  const event_name = p.str("event_name", { required: true, max: 100 })!;
  const payloadParams = p.obj("payload", { required: true })!;
  const identifier = p.str("identifier", { max: 100 }) ?? `${stableId(`${ctx.requestId ?? ""}:${ctx.now}`, 8)}-${randomToken(16)}`;
  const timestamp = p.int("timestamp") ?? ctx.now;
  if (timestamp < ctx.now - MAX_PAST || timestamp > ctx.now + MAX_FUTURE)
    throw invalidParam("timestamp", "Timestamp must be within the past 35 days and no more than 5 minutes in the future.");
  const meter = (await repo.all<Meter>("meter")).find((r) => r.obj.status === "active" && r.obj.event_name === event_name)?.obj;
  // Stripe reports an unknown event_name asynchronously; the sandbox says it at once so misconfiguration shows in tests.
  if (!meter) throw invalidParam("event_name", `No active meter found for event_name \`${event_name}\`.`);
  const payload: Record<string, string> = {};
  for (const [k, v] of Object.entries(payloadParams.raw)) {
    if (typeof v !== "string") throw invalidParam(payloadParams.name(k), `Invalid string: ${JSON.stringify(v)}`);
    payload[k] = v;
  }
  const customerKey = meter.customer_mapping.event_payload_key;
  const valueKey = meter.value_settings.event_payload_key;
  const customer = payload[customerKey];
  if (!customer) throw missingParam(payloadParams.name(customerKey));
  await repo.must<Customer>("customer", customer, payloadParams.name(customerKey));
  const value = payload[valueKey];
  if (value === undefined && meter.default_aggregation.formula !== "count") throw missingParam(payloadParams.name(valueKey));
  if (value !== undefined && !/^-?\d+(\.\d+)?$/.test(value)) throw invalidParam(payloadParams.name(valueKey), `Invalid value: ${value}. Meter event values must be numbers.`);
  if (await repo.get("meter_event", identifier)) {
    throw new StripeApiError(400, { type: "invalid_request_error", message: `An event already exists with identifier ${identifier}.`, param: "identifier" }, { "stripe-should-retry": "false" });
  }
  const event: MeterEvent = { object: "billing.meter_event", created: ctx.now, event_name, identifier, livemode: false, payload, timestamp };
  await repo.putKeyed("meter_event", identifier, { seq: await repo.seq("meter_event"), obj: event });
  return event;
}

async function eventsOf(repo: Repo, meter: Meter, customer: string) {
  const key = meter.customer_mapping.event_payload_key;
  return (await repo.all<MeterEvent>("meter_event")).map((r) => r.obj).filter((e) => e.event_name === meter.event_name && e.payload[key] === customer);
}

function aggregate(meter: Meter, events: MeterEvent[], start: number, end: number): number {
  const inWindow = events.filter((e) => e.timestamp >= start && e.timestamp < end);
  const valueOf = (e: MeterEvent) => Number(e.payload[meter.value_settings.event_payload_key] ?? 0);
  switch (meter.default_aggregation.formula) {
    case "count":
      return inWindow.length;
    case "last": {
      const last = [...inWindow].sort((a, b) => a.timestamp - b.timestamp || a.created - b.created).at(-1);
      return last ? valueOf(last) : 0;
    }
    default:
      return inWindow.reduce((s, e) => s + valueOf(e), 0);
  }
}

/** Usage a customer recorded on a meter in [start, end): what a metered item is billed for. */
export async function usageFor(repo: Repo, meterId: string, customer: string, start: number, end: number): Promise<number | undefined> {
  const meter = (await repo.get<Meter>("meter", meterId))?.obj;
  if (!meter) return undefined;
  return aggregate(meter, await eventsOf(repo, meter, customer), start, end);
}

export async function meterEventSummaries(repo: Repo, _ctx: Ctx, p: Params, id: string) {
  p.only(["customer", "end_time", "ending_before", "limit", "start_time", "starting_after", "value_grouping_window"]);
  const meter = (await repo.must<Meter>("meter", id)).obj;
  const customer = p.str("customer", { required: true })!;
  const start = p.int("start_time", { required: true })!;
  const end = p.int("end_time", { required: true })!;
  if (end <= start) throw invalidParam("end_time", "end_time must be after start_time.");
  const window = p.enumOf("value_grouping_window", ["day", "hour"] as const);
  const limit = p.int("limit", { min: 1, max: 100 }) ?? 10;
  const events = await eventsOf(repo, meter, customer);
  const step = window === "hour" ? 3600 : window === "day" ? 86_400 : end - start;
  const summaries = [];
  for (let s = start; s < end; s += step) {
    const e = Math.min(end, s + step);
    summaries.push({
      id: `mtrusg_test_${stableId(`${meter.id}:${customer}:${s}:${e}`, 24)}`,
      object: "billing.meter_event_summary" as const,
      aggregated_value: aggregate(meter, events, s, e),
      end_time: e,
      livemode: false,
      meter: meter.id,
      start_time: s,
    });
  }
  return listOf(summaries.slice(0, limit), `/v1/billing/meters/${id}/event_summaries`, summaries.length > limit);
}
