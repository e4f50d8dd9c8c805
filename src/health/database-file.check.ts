import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import * as fs from 'node:fs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { parseDatabaseUrl } from '../database/database-url';

/**
 * An open SQLite connection keeps its file descriptor when the file is moved, deleted or replaced, so a
 * trivial query still succeeds while every new write would go nowhere anyone can find. Readiness therefore
 * also checks that the path still names the file the connection opened and that it is readable and
 * writable. PostgreSQL needs none of this: its ping covers it.
 */
@Injectable()
export class DatabaseFileCheck {
  private readonly file: string | null;
  private readonly inode: number | null;

  /** The DataSource is injected so the file exists (and its inode is the opened one) before this runs. */
  constructor(@Inject(AppConfig) config: AppConfig, @InjectDataSource() dataSource: DataSource) {
    const db = parseDatabaseUrl(config.DATABASE_URL);
    this.file = db.kind === 'sqlite' && dataSource.isInitialized ? db.location : null;
    this.inode = this.file ? fs.statSync(this.file).ino : null;
  }

  /** True when there is no file to check, or the opened file is still at its path and usable. */
  intact(): boolean {
    if (!this.file) {
      return true;
    }
    try {
      fs.accessSync(this.file, fs.constants.R_OK | fs.constants.W_OK);
      return fs.statSync(this.file).ino === this.inode;
    } catch {
      return false;
    }
  }
}
