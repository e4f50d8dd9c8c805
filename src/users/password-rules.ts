import {
  IsString,
  MaxLength,
  MinLength,
  Validate,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';

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

/** A new password: 8-100 characters and at most 72 UTF-8 bytes. */
export function NewPassword(): PropertyDecorator {
  return (target: object, key: string | symbol) => {
    IsString()(target, key);
    MinLength(PASSWORD_MIN)(target, key);
    MaxLength(PASSWORD_MAX)(target, key);
    Validate(MaxUtf8Bytes)(target, key);
  };
}
