/**
 * Stripe's error bodies. The SDK picks its error class from the HTTP status and `error.type`
 * (400/404 -> StripeInvalidRequestError, idempotency_error -> StripeIdempotencyError, 401 ->
 * StripeAuthenticationError), so both must match what api.stripe.com sends.
 */
export interface StripeErrorBody {
  type: "invalid_request_error" | "idempotency_error" | "api_error" | "card_error";
  message: string;
  code?: string;
  param?: string;
  doc_url?: string;
}

export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: StripeErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(error.message);
  }
}

const docUrl = (code: string) => `https://stripe.com/docs/error-codes/${code.replaceAll("_", "-")}`;

function invalid(status: number, message: string, param?: string, code?: string): StripeApiError {
  const error: StripeErrorBody = { type: "invalid_request_error", message };
  if (code) {
    error.code = code;
    error.doc_url = docUrl(code);
  }
  if (param) error.param = param;
  return new StripeApiError(status, error);
}

export const missingParam = (param: string) => invalid(400, `Missing required param: ${param}.`, param, "parameter_missing");
export const unknownParam = (param: string) => invalid(400, `Received unknown parameter: ${param}`, param, "parameter_unknown");
export const invalidParam = (param: string, message: string, code?: string) => invalid(400, message, param, code);
export const badRequest = (message: string, param?: string) => invalid(400, message, param);

/** A path id that does not exist is a 404; an id passed as a parameter (`customer=cus_x`) is a 400. */
export const noSuch = (kind: string, id: string, param = "id", status = param === "id" ? 404 : 400) =>
  invalid(status, `No such ${kind}: '${id}'`, param, "resource_missing");

export const unrecognizedUrl = (method: string, path: string) =>
  invalid(404, `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`);

export const noApiKey = () =>
  invalid(
    401,
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
  );

export function idempotencyError(message: string): StripeApiError {
  return new StripeApiError(400, { type: "idempotency_error", message });
}

export function errorBody(err: StripeApiError, requestId: string): { error: Record<string, unknown> } {
  return { error: { ...err.error, request_log_url: `https://dashboard.stripe.com/test/logs/${requestId}` } };
}
