import { describe, expect, it } from "vitest";
import { StripeApiError } from "../../../workers/sandbox/stripe/errors";
import { decodeRequestParams, splitKey } from "../../../workers/sandbox/stripe/form";
import { Params } from "../../../workers/sandbox/stripe/params";

function errOf(fn: () => unknown): StripeApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof StripeApiError) return e;
    throw e;
  }
  throw new Error("expected a StripeApiError");
}

describe("Stripe form decoding", () => {
  it("splits bracket keys", () => {
    expect(splitKey("a")).toEqual(["a"]);
    expect(splitKey("line_items[0][price]")).toEqual(["line_items", "0", "price"]);
    expect(splitKey("expand[]")).toEqual(["expand", ""]);
    expect(splitKey("odd[key")).toEqual(["odd[key"]);
  });

  it("decodes what stripe-node sends into nested objects and arrays", () => {
    const body =
      "mode=subscription&line_items[0][price]=price_1&line_items[0][quantity]=2&line_items[1][price_data][currency]=usd" +
      "&metadata[workspace]=ws%201&metadata[empty]=&expand[0]=customer&expand[1]=subscription&success_url=https%3A%2F%2Fx.test%2Fok%3Fs%3D%7BCHECKOUT_SESSION_ID%7D";
    expect(decodeRequestParams("", body)).toEqual({
      mode: "subscription",
      line_items: [{ price: "price_1", quantity: "2" }, { price_data: { currency: "usd" } }],
      metadata: { workspace: "ws 1", empty: "" },
      expand: ["customer", "subscription"],
      success_url: "https://x.test/ok?s={CHECKOUT_SESSION_ID}",
    });
  });

  it("accepts `[]` appends, percent-encoded brackets and out-of-order indices", () => {
    expect(decodeRequestParams("expand[]=a&expand[]=b", "")).toEqual({ expand: ["a", "b"] });
    expect(decodeRequestParams("", "items%5B1%5D%5Bprice%5D=p2&items%5B0%5D%5Bprice%5D=p1")).toEqual({ items: [{ price: "p1" }, { price: "p2" }] });
    expect(decodeRequestParams("created[gte]=5&limit=3", "")).toEqual({ created: { gte: "5" }, limit: "3" });
  });

  it("rejects a scalar that is also used as a hash", () => {
    const err = errOf(() => decodeRequestParams("", "metadata=x&metadata[a]=b"));
    expect(err.status).toBe(400);
    // `metadata=` (clear) followed by keys is legitimate
    expect(decodeRequestParams("", "metadata=&metadata[a]=b")).toEqual({ metadata: { a: "b" } });
  });
});

describe("Params validation (Stripe's messages)", () => {
  const p = (q: string) => new Params(decodeRequestParams(q, ""));

  it("reports a missing required param with parameter_missing", () => {
    const err = errOf(() => p("").str("name", { required: true }));
    expect(err.status).toBe(400);
    expect(err.error).toMatchObject({ type: "invalid_request_error", code: "parameter_missing", param: "name", message: "Missing required param: name." });
    const nested = errOf(() => p("line_items[0][price]=x").arr("line_items")![0]!.int("quantity", { required: true }));
    expect(nested.error.param).toBe("line_items[0][quantity]");
  });

  it("reports unknown params, bad integers, booleans and enums", () => {
    expect(errOf(() => p("foo=1").only(["name"])).error).toMatchObject({ code: "parameter_unknown", param: "foo", message: "Received unknown parameter: foo" });
    expect(p("expand[0]=x").only([]).expand()).toEqual(["x"]);
    expect(errOf(() => p("limit=abc").int("limit")).error).toMatchObject({ code: "parameter_invalid_integer", message: "Invalid integer: abc" });
    expect(errOf(() => p("limit=500").int("limit", { max: 100 })).error.message).toBe("This value must be less than or equal to 100.");
    expect(errOf(() => p("active=yes").bool("active")).error.message).toBe("Invalid boolean: yes");
    expect(errOf(() => p("mode=x").enumOf("mode", ["payment", "setup", "subscription"])).error.message).toBe(
      "Invalid mode: must be one of payment, setup, or subscription",
    );
    expect(errOf(() => p("email=nope").email("email")).error).toMatchObject({ code: "email_invalid", param: "email" });
    expect(errOf(() => p("success_url=ftp://x").url("success_url")).error).toMatchObject({ code: "url_invalid" });
  });

  it("merges metadata like Stripe: empty value deletes, empty hash clears", () => {
    expect(p("metadata[a]=1&metadata[b]=").metadata("metadata", { b: "old", c: "keep" })).toEqual({ a: "1", c: "keep" });
    expect(p("metadata=").metadata("metadata", { a: "1" })).toEqual({});
    expect(p("").metadata("metadata", { a: "1" })).toBeUndefined();
  });

  it("distinguishes not sent, cleared and set strings", () => {
    expect(p("").nullableStr("description")).toBeUndefined();
    expect(p("description=").nullableStr("description")).toBeNull();
    expect(p("description=hi").nullableStr("description")).toBe("hi");
  });
});
