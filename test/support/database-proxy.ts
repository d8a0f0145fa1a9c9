/**
 * A TCP proxy in front of Postgres that a test or benchmark controls: `cut()` makes the database
 * unreachable for the app without touching the machine's Postgres (other work uses it), `mend()`
 * brings it back on the same port.
 *
 * - "refuse": connections in use are reset and new ones refused, as when the server is down;
 * - "blackhole": connections in use are reset and new ones accepted but never answered, as when
 *   the network drops packets: the app must give up on its own.
 */
import { connect, createServer, type Server, type Socket } from "node:net";

export type CutMode = "refuse" | "blackhole";

export class DatabaseProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private blackhole = false;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  private track(socket: Socket) {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
  }

  async listen(): Promise<void> {
    if (this.server) return;
    this.server = createServer((client) => {
      this.track(client);
      if (this.blackhole) return; // accepted, never forwarded
      const upstream = connect(this.target.port, this.target.host);
      this.track(upstream);
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, "127.0.0.1", resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  private dropAll() {
    for (const socket of this.sockets) socket.destroy();
  }

  async cut(mode: CutMode): Promise<void> {
    if (mode === "blackhole") {
      this.blackhole = true;
      this.dropAll();
      return;
    }
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.dropAll();
    await closed;
    this.server = null;
  }

  async mend(): Promise<void> {
    if (this.blackhole) {
      this.blackhole = false;
      // What was accepted during the cut never reached Postgres: drop it so the client reconnects.
      this.dropAll();
    }
    await this.listen();
  }

  async close(): Promise<void> {
    await this.cut("refuse");
  }
}
