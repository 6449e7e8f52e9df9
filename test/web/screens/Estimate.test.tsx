import { fireEvent, screen } from "@testing-library/preact";
import { describe, expect, it } from "vitest";
import { Estimate } from "../../../web/src/screens/Estimate";
import { apiError, json, later, networkError, stubFetch } from "../fetch-stub";
import { estimate, UNREACHABLE } from "../fixtures";
import { goOffline, renderAt } from "../render";

const show = () => renderAt("/", <Estimate />);
const priceIt = () => fireEvent.submit(screen.getByRole("button", { name: "Price it" }).closest("form")!);

describe("Estimate screen (the pricing page)", () => {
  it("before anything is asked: the form, a model filled in, no call made", () => {
    const stub = stubFetch();
    show();
    expect((screen.getByLabelText("Hugging Face model") as HTMLInputElement).value).toBe("Qwen/Qwen2.5-7B-Instruct");
    expect(screen.getByRole("button", { name: "Price it" }).hasAttribute("disabled")).toBe(false);
    expect(screen.queryByTestId("estimate")).toBeNull();
    expect(stub.calls).toEqual([]);
  });

  it("loading: the button says it is pricing and cannot be tapped twice; then the price", async () => {
    const answer = later();
    const stub = stubFetch({ "GET /api/deployments/estimate": answer.reply });
    show();
    priceIt();
    const busy = await screen.findByRole("button", { name: "Pricing…" });
    expect(busy.hasAttribute("disabled")).toBe(true);
    answer.answer(json(estimate()));
    expect((await screen.findByTestId("per-hour")).textContent).toBe("$1.19/h");
    expect(screen.getByRole("button", { name: "Price it" }).hasAttribute("disabled")).toBe(false);
    const query = stub.callsTo("GET /api/deployments/estimate")[0]!.url.searchParams;
    expect([query.get("model"), query.get("workersMin"), query.get("workersMax")]).toEqual(["Qwen/Qwen2.5-7B-Instruct", "0", "2"]);
  });

  it("error: the planner's refusal in its own words, and the last price is taken away", async () => {
    stubFetch({
      "GET /api/deployments/estimate": [json(estimate()), apiError(422, "not_text_model", "google-bert/bert-base-uncased is a fill-mask model; only text generation and embeddings deploy.")],
    });
    show();
    priceIt();
    await screen.findByTestId("estimate");
    fireEvent.input(screen.getByLabelText("Hugging Face model"), { target: { value: "google-bert/bert-base-uncased" } });
    priceIt();
    expect((await screen.findByTestId("estimate-error")).textContent).toBe("google-bert/bert-base-uncased is a fill-mask model; only text generation and embeddings deploy.");
    expect(screen.queryByTestId("estimate")).toBeNull();
    expect(screen.getByRole("button", { name: "Price it" }).hasAttribute("disabled")).toBe(false);
  });

  it("error: a failed connection says to check it", async () => {
    stubFetch({ "GET /api/deployments/estimate": networkError() });
    show();
    priceIt();
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
  });

  it("offline: a price asked before is answered from the last-seen copy; a new one says to check the connection", async () => {
    goOffline({ "GET /api/deployments/estimate": (req) => (req.url.searchParams.get("model") === "Qwen/Qwen2.5-7B-Instruct" ? json(estimate()) : networkError()) });
    show();
    priceIt();
    expect((await screen.findByTestId("per-hour")).textContent).toBe("$1.19/h");
    fireEvent.input(screen.getByLabelText("Hugging Face model"), { target: { value: "meta-llama/Llama-3.1-8B-Instruct" } });
    priceIt();
    expect((await screen.findByRole("alert")).textContent).toBe(UNREACHABLE);
    expect(screen.queryByTestId("estimate")).toBeNull();
  });
});
