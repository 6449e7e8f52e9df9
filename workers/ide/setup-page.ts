import type { Brand } from "../brand/brands";
import type { IdeConfig } from "./config";

/**
 * The page a QR setup link opens on the desktop (pure: data in, HTML out). No script: the first view is a
 * button that POSTs back, so chat apps and mail scanners that fetch links to preview them cannot spend it;
 * the second shows every file and command, ready to select and copy.
 */
const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

type State = { state: "confirm" } | { state: "error"; message: string } | { state: "config"; config: IdeConfig; keyPrefix: string };

export function setupPage(input: { brand: Brand } & State): string {
  const { brand } = input;
  let body: string;
  if (input.state === "confirm") {
    body = `<h1>Set up your IDE</h1>
<p>This one-time link shows your configuration with a new API key made for this computer. It works once and expires ten minutes after it was made.</p>
<form method="post"><button type="submit">Show my configuration</button></form>`;
  } else if (input.state === "error") {
    body = `<h1>This link cannot be used</h1><p role="alert">${esc(input.message)}</p>`;
  } else {
    const { config, keyPrefix } = input;
    const files = config.files
      .map(
        (f) => `<section><h2><code>${esc(f.path)}</code></h2>
<p>${f.scope === "user" ? "In your home directory." : f.scope === "local" ? "In the project; local to you, keep it out of git." : "In the project root."}${f.containsSecret ? " <strong>Contains your key: do not commit it.</strong>" : ""}</p>
<pre><code>${esc(f.content)}</code></pre></section>`,
      )
      .join("\n");
    const command = config.command ? `<section><h2>Or run</h2><pre><code>${esc(config.command)}</code></pre></section>` : "";
    const notes = config.notes.length ? `<ul>${config.notes.map((n) => `<li>${esc(n)}</li>`).join("")}</ul>` : "";
    body = `<h1>${esc(config.title)}</h1>
<p>A new key <code>${esc(keyPrefix)}</code> was made for this setup. It is shown only on this page; you can revoke it any time under Keys.</p>
${command}
${files}
${notes}`;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${esc(brand.name)}: IDE setup</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111;background:#fff}
h1{color:${esc(brand.themeColor)}}pre{background:#f4f4f6;padding:1rem;overflow:auto;border-radius:.5rem}
button{font:inherit;padding:.75rem 1.25rem;border:0;border-radius:.5rem;background:${esc(brand.themeColor)};color:#fff;cursor:pointer}
</style></head>
<body><p><strong>${esc(brand.name)}</strong></p>
${body}
</body></html>`;
}
