import { Writable } from 'node:stream';
import { createLogger, REDACTED } from './logger';
import { PinoLoggerService } from './pino-logger.service';

/** A destination that keeps every line written to it. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  const lines = (): Record<string, unknown>[] =>
    chunks
      .join('')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { stream, lines };
}

const settings = { LOG_LEVEL: 'info', LOG_FORMAT: 'json' as const, DEBUG: false, NODE_ENV: 'production' };

describe('the pino logger', () => {
  it('censors credentials by path: headers, password and token fields, at the top or one level down', () => {
    const out = capture();
    const logger = createLogger(settings, out.stream);
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc.def.ghi', cookie: 'sid=1', 'user-agent': 'curl' } },
        res: { headers: { 'set-cookie': 'sid=2' } },
        password: 'hunter2-top',
        body: { password: 'hunter2', new_password: 'n', refresh_token: 'r', mfa_token: 'm', email: 'a@b.co' },
      },
      'with secrets',
    );
    const [line] = out.lines();
    expect(line).toMatchObject({
      req: { headers: { authorization: REDACTED, cookie: REDACTED, 'user-agent': 'curl' } },
      res: { headers: { 'set-cookie': REDACTED } },
      password: REDACTED,
      body: {
        password: REDACTED,
        new_password: REDACTED,
        refresh_token: REDACTED,
        mfa_token: REDACTED,
        email: 'a@b.co',
      },
    });
    expect(JSON.stringify(line)).not.toMatch(/hunter2|abc\.def|sid=/);
  });

  it('writes ISO times and the level as a word, and honours LOG_LEVEL (DEBUG lowers info to debug)', () => {
    const out = capture();
    const logger = createLogger({ ...settings, LOG_LEVEL: 'warn' }, out.stream);
    logger.info('dropped');
    logger.warn('kept');
    expect(out.lines()).toEqual([
      expect.objectContaining({
        level: 'warn',
        msg: 'kept',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
      }),
    ]);
    expect(createLogger({ ...settings, DEBUG: true }, capture().stream).level).toBe('debug');
    expect(createLogger({ ...settings, DEBUG: true, LOG_LEVEL: 'error' }, capture().stream).level).toBe('error');
  });

  it("serves as Nest's logger: context, stack and levels", () => {
    const out = capture();
    const nest = new PinoLoggerService(createLogger({ ...settings, LOG_LEVEL: 'debug' }, out.stream));
    nest.log('started', 'Bootstrap');
    nest.warn('slow', 'Mail');
    nest.error('failed', 'Error: boom\n    at here (x.ts:1:1)', 'Exceptions');
    nest.error('no stack', 'Audit');
    nest.debug('details');
    nest.verbose('dropped below debug');
    expect(out.lines()).toEqual([
      expect.objectContaining({ level: 'info', context: 'Bootstrap', msg: 'started' }),
      expect.objectContaining({ level: 'warn', context: 'Mail', msg: 'slow' }),
      expect.objectContaining({
        level: 'error',
        context: 'Exceptions',
        msg: 'failed',
        stack: expect.stringMatching(/boom/),
      }),
      expect.objectContaining({ level: 'error', context: 'Audit', msg: 'no stack' }),
      expect.objectContaining({ level: 'debug', msg: 'details' }),
    ]);
    expect(out.lines()[3]).not.toHaveProperty('stack');
  });
});
