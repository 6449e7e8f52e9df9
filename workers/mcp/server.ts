import { McpServer } from "@modelcontextprotocol/server";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/server/validators/cf-worker";
import { hasScope, type KeyScope } from "../keys/scopes";
import { ToolFailure, type Api } from "./api";
import { TOOLS } from "./tools";

/**
 * One MCP server per request (both protocol eras build it the same way): the tools the caller's scopes
 * cover, each a thin call through `api`. A refused or failed call is a tool result with isError (the model
 * reads why and can recover); protocol problems (unknown tool, bad arguments) the SDK answers itself.
 */
export const SERVER_VERSION = "1.0.0";

export function buildMcpServer(info: { name: string; title: string; scopes: readonly KeyScope[]; api: Api; instructions: string }): McpServer {
  const server = new McpServer(
    { name: info.name, title: info.title, version: SERVER_VERSION },
    { capabilities: { tools: {} }, instructions: info.instructions, jsonSchemaValidator: new CfWorkerJsonSchemaValidator() },
  );
  for (const tool of TOOLS) {
    if (!hasScope(info.scopes, tool.scope)) continue;
    server.registerTool(
      tool.name,
      { title: tool.title, description: tool.description, inputSchema: tool.input, outputSchema: tool.output, annotations: { title: tool.title, ...tool.annotations } },
      async (args: Record<string, unknown>) => {
        try {
          const out = await tool.run(info.api, args);
          return { content: [{ type: "text" as const, text: JSON.stringify(out) }], structuredContent: out };
        } catch (err) {
          if (err instanceof ToolFailure) return { content: [{ type: "text" as const, text: err.message }], isError: true };
          throw err;
        }
      },
    );
  }
  return server;
}
