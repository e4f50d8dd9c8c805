import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsString,
  MaxLength,
  Validate,
  ValidateIf,
  ValidatorConstraint,
  ValidatorConstraintInterface,
  ValidationArguments,
} from 'class-validator';

/** `code` and `recovery_code` are alternatives: a body with both is refused. */
@ValidatorConstraint({ name: 'one_factor' })
export class OnlyOneFactor implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    const body = args.object as { code?: unknown; recovery_code?: unknown };
    return body.code === undefined || body.recovery_code === undefined;
  }
  defaultMessage(): string {
    return 'send either code or recovery_code, not both';
  }
}

/** `code` (6 digits from the app) or `recovery_code`: one of the two. */
class SecondFactorDto {
  @ApiPropertyOptional({ example: '123456', description: 'The 6-digit code of the authenticator app' })
  @ValidateIf((o: SecondFactorDto) => o.recovery_code === undefined)
  @IsString()
  @MaxLength(16)
  code?: string;

  @ApiPropertyOptional({ example: 'abcd-efgh-ijkl-mnop', description: 'One of the recovery codes, instead of code' })
  @ValidateIf((o: SecondFactorDto) => o.recovery_code !== undefined)
  @IsString()
  @MaxLength(64)
  @Validate(OnlyOneFactor)
  recovery_code?: string;
}

export class EnableTotpDto {
  @ApiProperty({ example: '123456', description: 'A code made from the secret of /auth/mfa/totp/setup' })
  @IsString()
  @MaxLength(16)
  code!: string;
}

export class VerifyMfaDto extends SecondFactorDto {
  @ApiProperty({ description: 'The mfa_token the login answered' })
  @IsString()
  @MaxLength(4096)
  mfa_token!: string;
}

export class DisableTotpDto extends SecondFactorDto {
  @ApiProperty({ example: 'correct-horse-battery' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class TotpSetupDto {
  @ApiProperty({ example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', description: 'Base32 secret (SHA-1, 6 digits, 30 s)' })
  secret!: string;

  @ApiProperty({ example: 'otpauth://totp/Lanterne%20Rouge:rider%40example.com?secret=...&issuer=Lanterne%20Rouge' })
  otpauth_url!: string;
}

export class RecoveryCodesDto {
  @ApiProperty({ type: [String], description: 'Ten single-use recovery codes, shown this once' })
  recovery_codes!: string[];
}

export class MfaChallengeDto {
  @ApiProperty({ example: true, enum: [true] })
  mfa_required!: true;

  @ApiProperty({ description: 'Send it with a code to POST /auth/mfa/verify within 5 minutes; single-use' })
  mfa_token!: string;

  @ApiProperty({ example: 'mfa', enum: ['mfa'] })
  token_type!: 'mfa';
}
