import { redactorFor, scrubbedColumns } from './audit-scrub';

describe('audit scrub', () => {
  it('replaces every occurrence of the texts, whatever their case, longest first', () => {
    const redact = redactorFor(['rider@example.com', 'Unbound 200', 'Unbound 200 Gravel']);
    expect(redact('Mozilla (RIDER@Example.com) rider@example.com')).toBe('Mozilla ([redacted]) [redacted]');
    expect(redact('unbound 200 gravel / Unbound 200')).toBe('[redacted] / [redacted]');
  });

  it('searches texts literally and skips the ones too short to mean anything', () => {
    const redact = redactorFor(['a', 'ok', 'x.y*(z)', '  ']);
    expect(redact('a ok xzy x.y*(z)')).toBe('a ok xzy [redacted]');
    expect(redactorFor([])('unchanged')).toBe('unchanged');
  });

  it('keeps ids the server wrote and drops a path text the user typed', () => {
    const redact = redactorFor(['secret ride']);
    const row = (resource_id: string | null) => ({
      id: 1,
      resource_id,
      details: 'fields=name',
      user_agent: 'curl/8',
      request_id: 'r1',
    });
    for (const id of [null, '42', '3f0c9a56-2c1e-4d8e-9f4b-8a1d2b3c4d5e', '2025-05-01']) {
      expect(scrubbedColumns(row(id), redact)).toBeNull();
    }
    expect(scrubbedColumns(row('My Secret Ride'), redact)).toEqual({
      resource_id: '[redacted]',
      details: 'fields=name',
      user_agent: 'curl/8',
      request_id: 'r1',
    });
    expect(scrubbedColumns({ ...row('7'), user_agent: 'app (Secret Ride)' }, redact)?.user_agent).toBe(
      'app ([redacted])',
    );
  });
});
