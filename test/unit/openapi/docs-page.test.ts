import { describe, expect, it } from "vitest";
import { BRANDS } from "../../../workers/brand/brands";
import { contrast, docsPage, palette } from "../../../workers/openapi/docs-page";
import type { OpenApiDocument } from "../../../workers/openapi/document";
import { clientSamples } from "../../../workers/openapi/samples";

/** The /docs page's pure parts: colours that stay readable in each brand, samples on the given origin, escaping. */
describe("docs page", () => {
  it("keeps text and links at WCAG AA contrast in every brand", () => {
    for (const brand of Object.values(BRANDS)) {
      const c = palette(brand);
      expect(contrast(c.text, c.bg), brand.id).toBeGreaterThanOrEqual(7);
      expect(contrast(c.muted, c.panel), brand.id).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.accent, c.bg), brand.id).toBeGreaterThanOrEqual(4.5);
      expect(contrast(c.accent, c.panel), brand.id).toBeGreaterThanOrEqual(4.5);
    }
    // A customer's white-label colours that would be unreadable as-is are adjusted.
    const c = palette({ themeColor: "#222222", backgroundColor: "#111111" });
    expect(contrast(c.accent, c.bg)).toBeGreaterThanOrEqual(4.5);
  });

  it("writes the five clients' samples against the origin it is given", () => {
    const samples = clientSamples("https://scientiacapital.com", "anthropic/claude-sonnet-4-5");
    expect(samples.map((s) => s.client)).toEqual(["curl", "OpenAI SDK (Node)", "OpenAI SDK (Python)", "Anthropic SDK", "Claude Code", "Cursor"]);
    const code = Object.fromEntries(samples.map((s) => [s.id, s.code]));
    expect(code["curl"]).toContain("curl https://scientiacapital.com/v1/chat/completions");
    expect(code["openai-node"]).toContain('baseURL: "https://scientiacapital.com/v1"');
    expect(code["openai-python"]).toContain('base_url="https://scientiacapital.com/v1"');
    expect(code["anthropic"]).toContain('baseURL: "https://scientiacapital.com"');
    expect(code["claude-code"]).toContain("export ANTHROPIC_BASE_URL=https://scientiacapital.com\n");
    expect(code["cursor"]).toContain("Override OpenAI Base URL:  https://scientiacapital.com/v1");
    for (const s of samples) expect(s.code).not.toMatch(/sk-[A-Za-z0-9]{10}/);
  });

  it("escapes what the document says and renders each operation under its tag", () => {
    const doc = {
      openapi: "3.1.0",
      info: {},
      servers: [],
      tags: [],
      components: { schemas: { B: { type: "object", properties: { name: { type: "string", maxLength: 5 } }, required: ["name"], additionalProperties: false } }, securitySchemes: {} },
      paths: {
        "/api/x/{id}": {
          post: { operationId: "postX", summary: "<script>alert(1)</script>", tags: ["Things"], "x-auth": ["workspace"], requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/B" } } } }, responses: { "200": { description: "ok" } } },
        },
      },
    } as unknown as OpenApiDocument;
    const html = docsPage(doc, { ...BRANDS.swaggystacks, defaultModel: "openai/gpt-4o-mini" }, "http://localhost:8787");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain('id="tag-things"');
    expect(html).toContain('<th scope="row"><code>name</code></th><td>string</td><td>yes</td><td>max length 5</td>');
    expect(html).toContain("Other fields are refused.");
    expect(html).toContain("Auth: <strong>workspace</strong>");
  });
});
