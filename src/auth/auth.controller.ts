import { Body, Controller, Header, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { BearerAuth, Client, ClientInfo, CurrentSessionId, CurrentUser, Public, Operation } from '../common/decorators';
import { Audit } from '../audit/audit.decorators';
import { RateLimit } from '../rate-limit/rate-limit.decorator';
import { toUserResponse, UserResponseDto } from '../users/dto/user-response.dto';
import type { User } from '../users/user.entity';
import { AuthService } from './auth.service';
import { TokenPairDto } from '../sessions/dto/token-pair.dto';
import type { TokenPair } from '../sessions/token.service';
import { LoginDto } from './dto/login.dto';
import { RefreshDto } from './dto/refresh.dto';
import { RegisterDto } from './dto/register.dto';
import { MfaChallengeDto } from '../mfa/dto/mfa.dto';
import type { MfaChallengeAnswer } from '../mfa/mfa-login.service';
import { ErrorResponseDto } from '../common/error-response.dto';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Audit('register', { resource: 'user' })
  @RateLimit('register')
  @Post('register')
  @Operation({
    id: 'register',
    summary: 'Create an account',
    description:
      'Emails are trimmed and lower-cased. The password is 8 to 100 characters and at most 72 bytes in UTF-8. is_admin and is_active cannot be set here (422). Rate limited per client address.',
  })
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiBadRequestResponse({ description: 'Email already registered', type: ErrorResponseDto })
  async register(@Body() dto: RegisterDto): Promise<UserResponseDto> {
    return toUserResponse(await this.auth.register(dto.email, dto.password));
  }

  @Public()
  @Audit('login', { resource: 'session', failureActions: { 401: 'login_failed' } })
  @RateLimit('login-account', 'login-address')
  @Post('login')
  @Operation({
    id: 'login',
    summary: 'Log in',
    description:
      'Answers an access and a refresh token; an account with two-factor authentication answers an mfa_token for POST /auth/mfa/verify instead. Failed logins are limited per account and per client address (429 with Retry-After).',
  })
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiExtraModels(TokenPairDto, MfaChallengeDto)
  @ApiOkResponse({
    description: 'The token pair, or (account with two-factor authentication) an mfa_token for POST /auth/mfa/verify',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenPairDto) }, { $ref: getSchemaPath(MfaChallengeDto) }] },
  })
  @ApiUnauthorizedResponse({ description: 'Incorrect email or password', type: ErrorResponseDto })
  @ApiForbiddenResponse({ description: 'Account is inactive, or Email not verified', type: ErrorResponseDto })
  login(@Body() dto: LoginDto, @Client() client: ClientInfo): Promise<TokenPair | MfaChallengeAnswer> {
    return this.auth.login(dto.email, dto.password, client);
  }

  @Public()
  @Audit('refresh', { resource: 'session' })
  @RateLimit('refresh')
  @Post('refresh')
  @Operation({
    id: 'refreshTokens',
    summary: 'Trade a refresh token for a new pair',
    description:
      'The old refresh token is spent: presented again (outside a 10-second grace window for concurrent tabs) it revokes every session of that login. An access token here is a 401.',
  })
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @Header('Pragma', 'no-cache')
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'Invalid, spent, revoked or wrong-type token', type: ErrorResponseDto })
  refresh(@Body() dto: RefreshDto, @Client() client: ClientInfo): Promise<TokenPair> {
    return this.auth.refresh(dto.refresh_token, client);
  }

  @BearerAuth()
  @Audit('logout', { resource: 'session' })
  @Post('logout')
  @Operation({
    id: 'logout',
    summary: 'Log out',
    description: 'Revokes the current session: its access and refresh tokens stop working at once.',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'The current session is revoked' })
  logout(@CurrentSessionId() sessionId: number): Promise<void> {
    return this.auth.logout(sessionId);
  }

  @BearerAuth()
  @Audit('logout_all', { resource: 'session' })
  @Post('logout-all')
  @Operation({
    id: 'logoutAll',
    summary: 'Log out everywhere',
    description: 'Revokes every session of the user, this one included.',
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Every session of the user is revoked' })
  logoutAll(@CurrentUser() user: User): Promise<void> {
    return this.auth.logoutAll(user.id);
  }
}
