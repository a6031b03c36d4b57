import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, extname, join, relative, sep } from "node:path";
import { Hono, type Context } from "hono";
import { failure } from "@inventory/shared";
import { failureResponse } from "@inventory/platform";

export interface ConsoleOptions {
  /** The built console (console/dist); by default found through the @inventory/console package. */
  readonly dir?: string;
  /**
   * Put into the page so that the console opens signed in: only ever the static development token, and only
   * when the hub accepts it (`ALLOW_DEV_TOKEN`) and `CONSOLE_DEV_SIGN_IN` asks for it, as `npm run dev` does.
   */
  readonly devSignInToken?: string;
}

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

interface Asset {
  readonly body: Buffer;
  readonly type: string;
  readonly etag: string;
  /** Vite names built assets by their content hash: they never change under one name. */
  readonly immutable: boolean;
}

const defaultDir = () => join(dirname(createRequire(import.meta.url).resolve("@inventory/console/package.json")), "dist");

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

const asset = (body: Buffer, path: string, immutable: boolean): Asset => ({
  body,
  type: TYPES[extname(path)] ?? "application/octet-stream",
  etag: `"${createHash("sha1").update(body).digest("hex")}"`,
  immutable,
});

/** Reads the whole built console into memory once (about 50 kB): a request never touches the disk. */
const loadAssets = (dir: string, devSignInToken: string | undefined) => {
  const assets = new Map<string, Asset>();
  if (!existsSync(join(dir, "index.html"))) return assets;
  for (const path of walk(dir)) {
    const name = relative(dir, path).split(sep).join("/");
    let body = readFileSync(path);
    if (name === "index.html" && devSignInToken) {
      body = Buffer.from(
        body
          .toString("utf8")
          .replace("<head>", `<head>\n    <meta name="inventory-dev-token" content="${devSignInToken.replace(/[^A-Za-z0-9._-]/g, "")}" />`),
      );
    }
    assets.set(name, asset(body, path, name.startsWith("assets/")));
  }
  return assets;
};

const send = (c: Context, a: Asset) => {
  c.header("ETag", a.etag);
  c.header("Cache-Control", a.immutable ? "public, max-age=31536000, immutable" : "no-cache");
  c.header("X-Content-Type-Options", "nosniff");
  if (a.type.startsWith("text/html")) {
    c.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
  }
  const match = c.req.header("If-None-Match");
  if (match !== undefined && match.split(",").some((tag) => tag.trim() === a.etag)) return c.body(null, 304);
  return c.body(new Uint8Array(a.body), 200, { "Content-Type": a.type });
};

/** The operator console's static files at /console: hashed assets cached for a year, the page revalidated by ETag. */
export const consoleRoutes = (options: ConsoleOptions = {}) => {
  const assets = loadAssets(options.dir ?? defaultDir(), options.devSignInToken);
  const page = (c: Context) => {
    const index = assets.get("index.html");
    return index ? send(c, index) : failureResponse(c, failure("NOT_FOUND", "the console is not built: run npm run build"));
  };
  return new Hono()
    .get("/console", (c) => c.redirect("/console/", 301))
    .get("/console/", page)
    .get("/console/*", (c) => {
      const name = c.req.path.slice("/console/".length);
      const found = assets.get(name);
      if (found) return send(c, found);
      // Paths without a file extension outside assets/ are the console's own pages; unknown files are 404.
      const isFile = name.startsWith("assets/") || /\.[A-Za-z0-9]+$/.test(name);
      return isFile ? failureResponse(c, failure("NOT_FOUND", `no console file ${name}`)) : page(c);
    });
};
