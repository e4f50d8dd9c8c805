import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { noteForAudit } from '../audit/audit-notes';
import { AthleteService } from '../athlete/athlete.service';
import type { User } from '../users/user.entity';
import { EXPORT_FORMAT, EXPORT_VERSION } from './dto/account-export.dto';
import { type ExportContext, EXPORT_SECTIONS } from './export-sections';

/**
 * `GET /users/me/export`: the export document as a stream of JSON text. The single-object sections are
 * read before the first byte (a failure there is an ordinary error answer); the lists follow page by
 * page as the client reads, so a large account neither sits in memory nor holds the event loop for
 * long. The document is not a snapshot: a row changed while it streams may appear in its old or new form.
 */
@Injectable()
export class AccountExportService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly athlete: AthleteService,
  ) {}

  async document(user: User, sessionId: number): Promise<AsyncGenerator<string>> {
    noteForAudit({ resourceId: String(user.id) });
    const ctx: ExportContext = { db: this.db, athlete: this.athlete, userId: user.id, sessionId, now: new Date() };
    const head: Record<string, unknown> = {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exported_at: ctx.now.toISOString(),
    };
    for (const section of EXPORT_SECTIONS) {
      if (!section.list) {
        head[section.key] = await section.read(ctx);
      }
    }
    return pieces(head, ctx);
  }
}

async function* pieces(head: Record<string, unknown>, ctx: ExportContext): AsyncGenerator<string> {
  yield JSON.stringify(head).slice(0, -1);
  for (const section of EXPORT_SECTIONS) {
    if (!section.list) {
      continue;
    }
    yield `,${JSON.stringify(section.key)}:[`;
    let separator = '';
    for await (const items of section.pages(ctx)) {
      // One item per piece: an activity with 4-hour streams is about 600 KB of JSON, a page of them several MB.
      for (const item of items) {
        yield separator + JSON.stringify(item);
        separator = ',';
      }
    }
    yield ']';
  }
  yield '}\n';
}
