import { request } from "node:http";

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * GET with an explicit Host header, as a browser on `scientiacapital.localhost:8787` sends it.
 * (Node's fetch drops a caller's Host header, and glibc does not resolve *.localhost names.)
 */
export function getWithHost(baseUrl: string, host: string, path: string): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: "GET", headers: { host: `${host}:${url.port}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
