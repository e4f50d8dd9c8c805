import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsEmail,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { normalizeEmail } from '../../common/email';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 100;
/** bcrypt ignores everything after byte 72: a longer password would accept its own prefix. */
export const PASSWORD_MAX_BYTES = 72;

@ValidatorConstraint({ name: 'max_bytes' })
export class MaxUtf8Bytes implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && Buffer.byteLength(value, 'utf8') <= PASSWORD_MAX_BYTES;
  }
  defaultMessage(): string {
    return `password must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8`;
  }
}

/** Printable text only: no control characters (PostgreSQL refuses a NUL in text, which would be a 500). */
export const PRINTABLE = /^[\x20-\x7e\u00a0-\uffff]*$/;

const trimLower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? normalizeEmail(value) : value;

/** A new password: 8-100 characters and at most 72 UTF-8 bytes. */
export function NewPassword(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsString()(target, key);
    MinLength(PASSWORD_MIN)(target, key);
    MaxLength(PASSWORD_MAX)(target, key);
    Validate(MaxUtf8Bytes)(target, key);
  };
}

export class RegisterDto {
  @ApiProperty({ example: 'rider@example.com', maxLength: 254 })
  @Transform(trimLower)
  @IsEmail({}, { message: 'email must be a valid email address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ example: 'correct-horse-battery', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @NewPassword()
  password!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'rider@example.com' })
  @Transform(trimLower)
  @IsString()
  @MaxLength(254)
  @Matches(PRINTABLE, { message: 'email must not contain control characters' })
  email!: string;

  @ApiProperty({ example: 'correct-horse-battery' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}

export class RefreshDto {
  @ApiProperty({ description: 'The refresh token from login or the previous refresh' })
  @IsString()
  @MaxLength(4096)
  refresh_token!: string;
}

export class TokenPairDto {
  @ApiProperty()
  access_token!: string;

  @ApiProperty()
  refresh_token!: string;

  @ApiProperty({ example: 'bearer', enum: ['bearer'] })
  token_type!: 'bearer';
}
