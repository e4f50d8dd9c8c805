import { Body, Controller, Delete, Get, Header, HttpCode, HttpStatus, Logger, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Readable } from 'node:stream';
import { Audit } from '../audit/audit.decorators';
import { BearerAuth, CurrentSessionId, CurrentUser, Operation } from '../common/decorators';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import type { User } from '../users/user.entity';
import { AccountDeletionService } from './account-deletion.service';
import { AccountExportService } from './account-export.service';
import { AccountExportDto } from './dto/account-export.dto';
import { DeleteAccountDto } from './dto/delete-account.dto';
import { ErrorResponseDto } from '../common/error-response.dto';

/** Leaving, and taking your data: the export document and the account's deletion. */
@ApiTags('users')
@BearerAuth()
@Controller('users/me')
export class AccountDataController {
  private readonly logger = new Logger('AccountExport');

  constructor(
    private readonly exporter: AccountExportService,
    private readonly deletion: AccountDeletionService,
  ) {}

  @Audit('user.export', { resource: 'user' })
  @RateLimit('export')
  @Get('export')
  @Header('Cache-Control', 'no-store')
  @Operation({
    id: 'exportAccount',
    summary: 'Everything your account holds, as one JSON document',
    description:
      'Your user, athlete profile, sessions, missions, pending drafts, activities with their streams, wellness days, connections and your own audit rows, each in the shape its own route answers (no password hash, token or secret), streamed as a download (Content-Disposition: attachment). Limited per user (RATE_LIMIT_EXPORT_MAX per window).',
  })
  @ApiOkResponse({ type: AccountExportDto, description: 'The export document, streamed' })
  async export(@CurrentUser() user: User, @CurrentSessionId() sessionId: number): Promise<StreamableFile> {
    const document = await this.exporter.document(user, sessionId);
    const day = new Date().toISOString().slice(0, 10);
    // One piece buffered at a time: the next is made when the socket has taken the last, not in a burst.
    return new StreamableFile(Readable.from(document, { highWaterMark: 1 }), {
      type: 'application/json; charset=utf-8',
      disposition: `attachment; filename="lanterne-rouge-export-${day}.json"`,
    }).setErrorHandler((error, res) => {
      // The status line is gone: cut the connection so the client cannot take a truncated file for a whole one.
      this.logger.error(`Export of user ${user.id} failed while streaming: ${error.message}`);
      res.destroy?.(error);
    });
  }

  // A wrong password or code counts as a failed login for the account and the address.
  @Audit('user.delete', { resource: 'user' })
  @RateLimit('login-account', 'login-address')
  @Delete()
  @HttpCode(HttpStatus.NO_CONTENT)
  @Operation({
    id: 'deleteAccount',
    summary: 'Delete your account and everything it owns',
    description:
      'Needs your password, and a code or a recovery code when two-factor authentication is on (wrong or missing: 400, nothing changed; counted against the login limits). Everything the account owns goes in one transaction and every token dies at once; audit rows stay under your id, scrubbed of your email and of text you wrote, with a final account_deleted row. The only active admin is refused (400). The email can register again.',
  })
  @ApiNoContentResponse({ description: 'The account is gone' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description:
      'Password is incorrect; Invalid code (or none sent while two-factor authentication is on); or you are the only active admin',
  })
  delete(@CurrentUser() user: User, @Body() dto: DeleteAccountDto): Promise<void> {
    return this.deletion.delete(user, dto);
  }
}
