import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/database/data-source-options';
import {
  makeCertificates,
  startTlsPostgresProxy,
  TlsCertificates,
  TlsPostgresProxy,
} from '../helpers/tls-postgres-proxy';
import { TEST_ENV } from '../helpers/test-app';

const PG_URL = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test');

/**
 * DATABASE_SSL against a real TLS endpoint on loopback (a private CA's certificate in front of the test
 * PostgreSQL): verified by default, so a certificate the client cannot trust stops the connection.
 */
describe('PostgreSQL over TLS (postgres)', () => {
  let dir: string;
  let certificates: TlsCertificates;
  let proxy: TlsPostgresProxy;
  let proxiedUrl: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-tls-'));
    certificates = makeCertificates(dir);
    proxy = await startTlsPostgresProxy({ host: PG_URL.hostname, port: Number(PG_URL.port || 5432) }, certificates);
    const url = new URL(PG_URL);
    url.host = `127.0.0.1:${proxy.port}`;
    proxiedUrl = url.toString();
  });

  afterAll(async () => {
    await proxy.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Connects with the app's own data source options and answers what the server said, or the error. */
  async function connect(env: Record<string, string>): Promise<unknown> {
    const config = loadConfig({ ...TEST_ENV, DATABASE_URL: proxiedUrl, DATABASE_POOL_SIZE: '1', ...env });
    const db = new DataSource(buildDataSourceOptions(config));
    try {
      await db.initialize();
      const [row] = await db.query<{ answer: number }[]>('SELECT 42 AS answer');
      return row;
    } finally {
      if (db.isInitialized) {
        await db.destroy();
      }
    }
  }

  it('refuses a server whose certificate the system CAs do not vouch for (DATABASE_SSL=true)', async () => {
    const secured = proxy.secured;
    await expect(connect({ DATABASE_SSL: 'true' })).rejects.toThrow(/self[- ]signed certificate|unable to verify/i);
    expect(proxy.secured).toBe(secured);
  });

  it('accepts it when DATABASE_SSL_CA names the CA that signed it, and the queries go over TLS', async () => {
    const secured = proxy.secured;
    await expect(connect({ DATABASE_SSL: 'true', DATABASE_SSL_CA: certificates.caFile })).resolves.toEqual({
      answer: 42,
    });
    expect(proxy.secured).toBe(secured + 1);
  });

  it('checks the name too: a certificate from the trusted CA for another host is refused', async () => {
    const otherDir = path.join(dir, 'other');
    fs.mkdirSync(otherDir);
    const other = makeCertificates(otherDir, 'DNS:db.internal');
    const otherProxy = await startTlsPostgresProxy({ host: PG_URL.hostname, port: Number(PG_URL.port || 5432) }, other);
    try {
      const url = new URL(proxiedUrl);
      url.port = String(otherProxy.port);
      const config = loadConfig({
        ...TEST_ENV,
        DATABASE_URL: url.toString(),
        DATABASE_SSL: 'true',
        DATABASE_SSL_CA: other.caFile,
      });
      const db = new DataSource(buildDataSourceOptions(config));
      await expect(db.initialize()).rejects.toThrow(/IP: 127\.0\.0\.1 is not in the cert's list/);
      expect(otherProxy.secured).toBe(0);
    } finally {
      await otherProxy.close();
    }
  });

  it('connects without checking the certificate only when asked (DATABASE_SSL=no-verify)', async () => {
    const secured = proxy.secured;
    await expect(connect({ DATABASE_SSL: 'no-verify' })).resolves.toEqual({ answer: 42 });
    expect(proxy.secured).toBe(secured + 1);
  });

  it('stays in plain text with DATABASE_SSL=false', async () => {
    const plain = proxy.plain;
    await expect(connect({ DATABASE_SSL: 'false' })).resolves.toEqual({ answer: 42 });
    expect(proxy.plain).toBe(plain + 1);
  });

  it('refuses a CA file without DATABASE_SSL=true, and names an unreadable one', () => {
    expect(() => loadConfig({ ...TEST_ENV, DATABASE_SSL: 'no-verify', DATABASE_SSL_CA: certificates.caFile })).toThrow(
      /DATABASE_SSL_CA: needs DATABASE_SSL=true/,
    );
    expect(() => loadConfig({ ...TEST_ENV, DATABASE_SSL: 'maybe' })).toThrow(
      /DATABASE_SSL must be true, false or no-verify/,
    );
    const config = loadConfig({
      ...TEST_ENV,
      DATABASE_URL: proxiedUrl,
      DATABASE_SSL: 'true',
      DATABASE_SSL_CA: path.join(dir, 'missing.pem'),
    });
    expect(() => buildDataSourceOptions(config)).toThrow(/DATABASE_SSL_CA: cannot read .*missing\.pem \(ENOENT\)/);
  });
});
