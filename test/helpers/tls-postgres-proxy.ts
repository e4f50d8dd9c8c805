import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';

/** PostgreSQL's SSLRequest: length 8, then the code 80877103 (protocol 1234.5679). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export interface TlsCertificates {
  /** The private CA's certificate (PEM file): what DATABASE_SSL_CA names. */
  caFile: string;
  key: string;
  cert: string;
}

/** A private CA and a server certificate it signs for `names` (127.0.0.1 and localhost by default), made with openssl. */
export function makeCertificates(dir: string, names = 'IP:127.0.0.1,DNS:localhost'): TlsCertificates {
  const file = (name: string): string => path.join(dir, name);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'pipe' });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=Test CA',
  );
  openssl('req', ...ec, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', '/CN=localhost');
  fs.writeFileSync(file('server.ext'), `subjectAltName=${names}\n`);
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  return {
    caFile: file('ca.pem'),
    key: fs.readFileSync(file('server.key'), 'utf8'),
    cert: fs.readFileSync(file('server.pem'), 'utf8'),
  };
}

export interface TlsPostgresProxy {
  port: number;
  /** Connections whose TLS handshake completed (the client accepted the certificate). */
  secured: number;
  /** Connections that never asked for TLS. */
  plain: number;
  close(): Promise<void>;
}

/**
 * A TLS front for a PostgreSQL server without TLS, on loopback: answers the client's SSLRequest with
 * `S`, completes the handshake with the given certificate, then relays the decrypted protocol to the
 * real server. What the client decides about the certificate is what a TLS-enabled server would see.
 */
export async function startTlsPostgresProxy(
  target: { host: string; port: number },
  certificates: TlsCertificates,
): Promise<TlsPostgresProxy> {
  const sockets = new Set<net.Socket>();
  const relay = (client: net.Socket, first: Buffer): void => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    if (first.length > 0) {
      upstream.write(first);
    }
    client.pipe(upstream).pipe(client);
  };
  const state = { secured: 0, plain: 0 };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      if (!first.subarray(0, 8).equals(SSL_REQUEST)) {
        state.plain += 1;
        relay(socket, first);
        return;
      }
      socket.write('S');
      const secure = new tls.TLSSocket(socket, { isServer: true, key: certificates.key, cert: certificates.cert });
      secure.on('error', () => socket.destroy());
      secure.once('secure', () => {
        state.secured += 1;
        relay(secure, first.subarray(8));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get secured() {
      return state.secured;
    },
    get plain() {
      return state.plain;
    },
    close: async () => {
      for (const s of sockets) {
        s.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
