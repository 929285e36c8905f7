/**
 * A TCP proxy on 127.0.0.1 between the live source and the dev apiserver, for fault injection. It forwards bytes
 * (TLS passes through untouched: the apiserver's certificate names 127.0.0.1, whatever the port), and can:
 *  - `cut()`: drop every open connection (a crashed apiserver or a network blip);
 *  - `refuse()` / `accept()`: drop new connections on arrival until accepted again (a server that is gone);
 *  - `cutAfterBytes(n)`: forward n bytes from the server in total, then cut and refuse (lost mid-sync);
 *  - `freeze()` / `thaw()`: stop forwarding in both directions while keeping the connections open (a hung node:
 *    nothing arrives, nothing fails). Held bytes flow again on thaw.
 * It cannot answer 429: the traffic is TLS; throttling is injected at the client layer (kube-client.test.ts).
 */
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';

export class TcpProxy {
  private server: Server | null = null;
  private readonly pairs = new Set<[Socket, Socket]>();
  private refusing = false;
  private frozen = false;
  private budget = Number.POSITIVE_INFINITY;
  /** Bytes forwarded from the apiserver to the client since start (or the last `resetCount`). */
  bytesFromServer = 0;
  connections = 0;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<number> {
    this.server = createServer((client) => this.onConnection(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this.port;
  }

  private onConnection(client: Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    this.connections++;
    const upstream = connect(this.target.port, this.target.host);
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const close = () => {
      client.destroy();
      upstream.destroy();
      this.pairs.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
    client.on('data', (chunk: Buffer) => {
      if (!upstream.write(chunk)) client.pause();
    });
    upstream.on('drain', () => !this.frozen && client.resume());
    upstream.on('data', (chunk: Buffer) => {
      if (this.bytesFromServer + chunk.length > this.budget) {
        const room = Math.max(0, this.budget - this.bytesFromServer);
        if (room > 0) client.write(chunk.subarray(0, room));
        this.bytesFromServer += room;
        this.budget = Number.POSITIVE_INFINITY;
        this.refuse();
        this.cut();
        return;
      }
      this.bytesFromServer += chunk.length;
      if (!client.write(chunk)) upstream.pause();
    });
    client.on('drain', () => !this.frozen && upstream.resume());
    if (this.frozen) {
      client.pause();
      upstream.pause();
    }
  }

  cut(): void {
    for (const [a, b] of [...this.pairs]) {
      a.destroy();
      b.destroy();
    }
    this.pairs.clear();
  }

  refuse(): void {
    this.refusing = true;
  }

  accept(): void {
    this.refusing = false;
  }

  /** Forwards `n` more bytes from the server, then cuts every connection and refuses new ones. */
  cutAfterBytes(n: number): void {
    this.budget = this.bytesFromServer + n;
  }

  freeze(): void {
    this.frozen = true;
    for (const [a, b] of this.pairs) {
      a.pause();
      b.pause();
    }
  }

  thaw(): void {
    this.frozen = false;
    for (const [a, b] of this.pairs) {
      a.resume();
      b.resume();
    }
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = null;
  }
}
