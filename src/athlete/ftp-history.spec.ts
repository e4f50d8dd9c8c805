import { ftpOn } from './ftp-history';

describe('ftpOn', () => {
  const history = [
    { ftp: 200, effectiveFrom: '2030-01-10' },
    { ftp: 250, effectiveFrom: '2030-03-01' },
  ];

  it('is null without any entry', () => {
    expect(ftpOn([], '2030-01-01')).toBeNull();
  });

  it('gives a date before the first entry the first FTP', () => {
    expect(ftpOn(history, '2029-12-31')).toBe(200);
  });

  it('applies an entry from its own date on, until the next one', () => {
    expect(ftpOn(history, '2030-01-10')).toBe(200);
    expect(ftpOn(history, '2030-02-28')).toBe(200);
    expect(ftpOn(history, '2030-03-01')).toBe(250);
    expect(ftpOn(history, '2031-01-01')).toBe(250);
  });
});
