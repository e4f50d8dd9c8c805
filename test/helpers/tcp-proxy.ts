import * as net from 'node:net';

/**
 * A loopback TCP proxy in front of a real service (PostgreSQL, Redis), so a test can cut the service
 * off and bring it back without touching the machine's server: `down()` drops every connection and
 * refuses new ones, `up()` listens again on the same port.
 */
export interface TcpProxy {
  port: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let server: net.Server | null = null;
  let port = 0;

  const listen = (): Promise<void> =>
    new Promise((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server?.address() as net.AddressInfo).port;
        resolve();
      });
    });

  const down = async (): Promise<void> => {
    for (const s of sockets) {
      s.destroy();
    }
    sockets.clear();
    const current = server;
    server = null;
    if (current) {
      await new Promise<void>((resolve) => current.close(() => resolve()));
    }
  };

  await listen();
  return { port, down, up: listen, close: down };
}
