import { Body, Controller, Header, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Audit } from '../audit/audit.decorators';
import { TokenPairDto } from '../sessions/dto/token-pair.dto';
import type { TokenPair } from '../sessions/token.service';
import { BearerAuth, Client, ClientInfo, CurrentUser, Public, Operation } from '../common/decorators';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import type { User } from '../users/user.entity';
import { DisableTotpDto, EnableTotpDto, RecoveryCodesDto, TotpSetupDto, VerifyMfaDto } from './dto/mfa.dto';
import { MfaLoginService } from './mfa-login.service';
import { MfaService } from './mfa.service';
import { ErrorResponseDto } from '../common/error-response.dto';

/** TOTP two-factor authentication. Wrong codes count as failed logins (same limits). */
@ApiTags('auth')
@Controller('auth/mfa')
export class MfaController {
  constructor(
    private readonly mfa: MfaService,
    private readonly mfaLogin: MfaLoginService,
  ) {}

  @BearerAuth()
  @Audit('mfa.setup', { resource: 'user' })
  @Post('totp/setup')
  @Operation({
    id: 'setupTotp',
    summary: 'Start setting up two-factor authentication',
    description:
      'A new TOTP secret and otpauth URL for the authenticator app; it is active once POST /auth/mfa/totp/enable accepts a code.',
  })
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: TotpSetupDto })
  @ApiBadRequestResponse({ description: 'Two-factor authentication is already enabled', type: ErrorResponseDto })
  setup(@CurrentUser() user: User): Promise<TotpSetupDto> {
    return this.mfa.setup(user);
  }

  @BearerAuth()
  @Audit('mfa.enable', { resource: 'user' })
  @RateLimit('login-account', 'login-address')
  @Post('totp/enable')
  @Operation({
    id: 'enableTotp',
    summary: 'Turn two-factor authentication on',
    description: 'With a first code from the authenticator app; answers the ten recovery codes, once.',
  })
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiOkResponse({ type: RecoveryCodesDto })
  @ApiBadRequestResponse({ description: 'Invalid code, no setup yet, or already enabled', type: ErrorResponseDto })
  enable(@CurrentUser() user: User, @Body() dto: EnableTotpDto): Promise<RecoveryCodesDto> {
    return this.mfa.enable(user, dto.code);
  }

  @Public()
  @Audit('mfa_verify', { resource: 'session', failureActions: { 401: 'mfa_verify_failed' } })
  @RateLimit('login-account', 'login-address')
  @Post('verify')
  @Operation({
    id: 'verifyMfa',
    summary: 'Second step of a login with two-factor authentication',
    description:
      'The mfa_token from POST /auth/login and a code (or a recovery code) give the token pair. Wrong codes count as failed logins.',
  })
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({
    description: 'Wrong or replayed code; spent, expired or wrong-type mfa_token',
    type: ErrorResponseDto,
  })
  verify(@Body() dto: VerifyMfaDto, @Client() client: ClientInfo): Promise<TokenPair> {
    return this.mfaLogin.verify(dto.mfa_token, dto, client);
  }

  @BearerAuth()
  @Audit('mfa.disable', { resource: 'user' })
  @RateLimit('login-account', 'login-address')
  @Post('totp/disable')
  @Operation({
    id: 'disableTotp',
    summary: 'Turn two-factor authentication off',
    description: 'Needs your password and a code (or a recovery code).',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Two-factor authentication is off' })
  @ApiBadRequestResponse({ description: 'Password is incorrect, or Invalid code', type: ErrorResponseDto })
  disable(@CurrentUser() user: User, @Body() dto: DisableTotpDto): Promise<void> {
    return this.mfa.disable(user, dto.password, dto);
  }
}
