import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ACTIVITY_FIXTURES_DIR } from '../helpers/activity-files';
import { PROJECT_ROOT } from '../helpers/server-process';

/**
 * The compiled build finds its worker thread (dist/src/activities/files/activity-file.worker.js) the way
 * `node dist/src/main.js` runs it; the unit specs cover the TypeScript sources under Jest.
 */
describe('activity file worker from dist/', () => {
  const script = `
    const { parseActivityFile } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'dist/src/activities/files'))});
    const { readFileSync } = require('node:fs');
    const answer = (file) => parseActivityFile(readFileSync(file), 25 * 1024 * 1024).then(
      (a) => ({ source: a.source, moving_s: a.summary.moving_s }),
      (e) => ({ name: e.name, status: e.status, message: e.message }),
    );
    Promise.all(process.argv.slice(1).map(answer)).then((answers) => console.log(JSON.stringify(answers)));
  `;

  it('reads a FIT file and refuses a broken one in a worker thread, then lets the process exit', async () => {
    const files = ['ride.fit', 'bad-crc.fit'].map((name) => path.join(ACTIVITY_FIXTURES_DIR, name));
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script, ...files], {
      cwd: PROJECT_ROOT,
      timeout: 20_000,
    });
    expect(JSON.parse(stdout)).toEqual([
      { source: 'fit', moving_s: 1800 },
      {
        name: 'ActivityFileError',
        status: 422,
        message: 'The FIT file is corrupt: its CRC does not match its content',
      },
    ]);
  });
});
