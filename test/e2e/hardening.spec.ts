import { connect, type Socket } from "node:net";
import { appOrigin, DEMO, expect, logIn, test, visit } from "./helpers";

/**
 * The server's own defences, seen from outside: body limits enforced while the bytes arrive
 * (raw HTTP, so nothing in between buffers or fixes the request), and the security headers.
 */

type RawAnswer = { status: number; headers: Record<string, string>; closed: boolean };

function server(): { host: string; port: number } {
  const url = new URL(appOrigin());
  return { host: url.hostname === "localhost" ? "127.0.0.1" : url.hostname, port: Number(url.port) };
}

/**
 * Sends a request head, then body bytes in chunks until the server answers (or `total` bytes are
 * sent); resolves with the status line, headers and whether the server then closed the connection.
 */
function rawPost(path: string, head: Record<string, string>, chunk: Buffer, total: number, chunked: boolean): Promise<RawAnswer> {
  const { host, port } = server();
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, host);
    let received = "";
    let answer: RawAnswer | null = null;
    let sent = 0;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${path}; got ${JSON.stringify(received.slice(0, 200))}`));
    }, 20_000);
    const finish = (closed: boolean) => {
      clearTimeout(timer);
      if (answer) resolve({ ...answer, closed });
      else reject(new Error(`connection closed before an answer to ${path}`));
    };
    socket.on("error", () => finish(true));
    socket.on("close", () => finish(true));
    socket.on("data", (data) => {
      received += data.toString("latin1");
      const end = received.indexOf("\r\n\r\n");
      if (end < 0 || answer) return;
      const [statusLine, ...lines] = received.slice(0, end).split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) headers[line.slice(0, line.indexOf(":")).toLowerCase()] = line.slice(line.indexOf(":") + 1).trim();
      answer = { status: Number(statusLine!.split(" ")[1]), headers, closed: false };
      // Give the server a moment to close (or not) after answering.
      setTimeout(() => finish(socket.destroyed || socket.readableEnded), 1500);
    });
    socket.on("end", () => socket.end());
    socket.on("connect", () => {
      const lines = [`POST ${path} HTTP/1.1`, `Host: ${new URL(appOrigin()).host}`, `Origin: ${appOrigin()}`, ...Object.entries(head).map(([k, v]) => `${k}: ${v}`)];
      if (chunked) lines.push("Transfer-Encoding: chunked");
      socket.write(`${lines.join("\r\n")}\r\n\r\n`);
      const pump = () => {
        while (!answer && sent < total && !socket.destroyed) {
          sent += chunk.length;
          const ok = socket.write(chunked ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]) : chunk);
          if (!ok) return void socket.once("drain", pump);
        }
      };
      pump();
    });
  });
}

const form = { "Content-Type": "application/x-www-form-urlencoded" };
const MB = 1024 * 1024;

test.describe("request bodies are limited while they stream", () => {
  test.describe.configure({ timeout: 90_000 });

  test("a log-in post declaring 300 MB is refused at once with 413 and Connection: close", async ({ request }) => {
    const answer = await rawPost("/login", { ...form, "Content-Length": String(300 * MB) }, Buffer.alloc(64 * 1024, "a"), 2 * MB, false);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
    expect(answer.closed).toBe(true);
    expect((await request.get("/healthz")).status()).toBe(200);
  });

  test("a chunked log-in post is cut off with 413 as soon as it passes the limit", async ({ request }) => {
    const answer = await rawPost("/login", form, Buffer.alloc(64 * 1024, "a"), 50 * MB, true);
    expect(answer.status).toBe(413);
    expect(answer.headers.connection).toBe("close");
    expect(answer.closed).toBe(true);
    expect((await request.get("/login")).status()).toBe(200);
  });

  test("saves, the API and webhooks have their own limits, chunked or not", async ({ request }) => {
    // Signed in, so the save route gets as far as reading the body.
    const login = await request.post("/login", { form: { email: DEMO.email, password: DEMO.password }, headers: { Origin: appOrigin() }, maxRedirects: 0 });
    const cookie = login.headers()["set-cookie"]!.split(";")[0]!;
    // The API checks its token before reading a body, so only a declared length reaches its limit unauthenticated.
    for (const [path, bytes, modes] of [
      [`/w/${DEMO.slug}/incidents/1/postmortem/save`, 8 * MB, [false, true]],
      [`/api/v1/${DEMO.slug}/incidents`, 3 * MB, [false]],
      [`/webhooks/pagerduty/${DEMO.slug}`, 3 * MB, [false, true]],
    ] as const) {
      for (const chunked of modes) {
        const head = { "Content-Type": "application/json", Cookie: cookie, ...(chunked ? {} : { "Content-Length": String(bytes) }) };
        const answer = await rawPost(path, head, Buffer.alloc(64 * 1024, " "), bytes, chunked);
        expect(answer.status, `${path}${chunked ? " chunked" : ""}`).toBe(413);
        expect(answer.headers.connection, path).toBe("close");
      }
    }
    expect((await request.get("/healthz")).status()).toBe(200);
  });

  test("a body under the limit still gets through", async ({ page }) => {
    await logIn(page, DEMO);
    await expect(page).toHaveURL(/\/w\//);
  });
});

test.describe("security headers", () => {
  test("pages carry a strict nonce-based Content-Security-Policy and the usual headers", async ({ page }) => {
    const response = await visit(page, "/login");
    const headers = response.headers();
    const csp = headers["content-security-policy"] ?? "";
    const nonce = csp.match(/'nonce-([A-Za-z0-9+/=]+)'/)?.[1];
    expect(nonce, csp).toBeTruthy();
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src [^;]*'strict-dynamic'/);
    expect(csp).not.toMatch(/script-src [^;]*'unsafe-inline'/);
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["permissions-policy"]).toContain("camera=()");
    expect(headers["strict-transport-security"], "no HSTS over plain http").toBeUndefined();
    // Every script in the page carries this response's nonce, and a second response has another.
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    const again = await page.request.get("/login");
    expect(again.headers()["content-security-policy"]).not.toContain(nonce!);
  });

  test("a client can't claim https to get HSTS when no proxy is trusted", async ({ request }) => {
    const response = await request.get("/login", { headers: { "X-Forwarded-Proto": "https" } });
    expect(response.headers()["strict-transport-security"]).toBeUndefined();
  });
});
