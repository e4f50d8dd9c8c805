import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { DataSource } from 'typeorm';
import { Worker } from 'node:worker_threads';

/** SQLite's own default: the connection that commits past this many WAL pages checkpoints them. */
const DEFAULT_AUTOCHECKPOINT = 1000;
/** How often the worker copies the WAL's new pages into the database file. */
const INTERVAL_MS = 200;
/**
 * Past this many WAL pages (about 40 MB) the worker checkpoints in RESTART mode, which waits for the
 * writer and makes the next write start the WAL over: under writes that never pause, passive checkpoints
 * keep up with the pages but never find the WAL fully copied at the moment a write begins, so the file
 * would only grow.
 */
const RESTART_AFTER_PAGES = 10_000;

/**
 * The worker: its own connection to the same file, checkpointing on a timer. Plain JavaScript, so it runs
 * the same from dist/ and from the TypeScript sources under Jest; better-sqlite3 is resolved from here.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(require('node:module').createRequire(workerData.requireFrom).resolve('better-sqlite3'));
const db = new Database(workerData.file, { timeout: 5000 });
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try {
    const [passive] = db.pragma('wal_checkpoint(PASSIVE)');
    if (passive.log >= workerData.restartAfterPages) {
      db.pragma('wal_checkpoint(RESTART)');
    }
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * WAL checkpoints off the event loop (SQLite only). A checkpoint copies the WAL's pages into the database
 * file and fsyncs both; SQLite runs it inside the commit that crosses 1,000 WAL pages, so on the app's one
 * connection it blocked the event loop for 5-35 ms about once a second under write load (the audit row
 * of every request is a write), and every request in flight waited that long. Here a worker thread with
 * its own connection checkpoints every 200 ms instead, and the app's connection never does
 * (`wal_autocheckpoint = 0`). Durability is unchanged (`synchronous = NORMAL`, the same checkpoints); if
 * the worker fails, the app's connection checkpoints itself again.
 */
@Injectable()
export class SqliteCheckpointer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Database');
  private worker?: Worker;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    if (this.dataSource.options.type !== 'better-sqlite3') {
      return;
    }
    const sqlite = (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: sqlite.name,
        requireFrom: __filename,
        intervalMs: INTERVAL_MS,
        restartAfterPages: RESTART_AFTER_PAGES,
      },
    });
    const fallBack = (why: string): void => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.logger.warn(`WAL checkpoint worker stopped (${why}): the connection checkpoints itself again`);
        if (sqlite.open) {
          sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
        }
      }
    };
    worker.on('message', (message: { error?: string }) => {
      if (message.error) {
        this.logger.warn(`WAL checkpoint failed: ${message.error}`);
      }
    });
    worker.once('error', (error) => fallBack(error.message));
    worker.once('exit', (code) => fallBack(`exit code ${code}`));
    worker.unref();
    sqlite.pragma('wal_autocheckpoint = 0');
    this.worker = worker;
  }

  /** Before the database closes: one last checkpoint, then the app's connection checkpoints on its own again. */
  async beforeApplicationShutdown(): Promise<void> {
    const worker = this.worker;
    if (!worker) {
      return;
    }
    this.worker = undefined;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // Referenced again until it is gone: with the server closed, nothing else may keep the process alive.
    worker.ref();
    worker.postMessage('stop');
    await exited;
    const sqlite = (this.dataSource.driver as unknown as { databaseConnection: SqliteDatabase }).databaseConnection;
    if (sqlite.open) {
      sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
    }
  }
}
