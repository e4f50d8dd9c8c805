import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, Matches, MaxLength } from 'class-validator';
import { normalizedEmail, PRINTABLE } from '../../common/email';

export class LoginDto {
  @ApiProperty({ example: 'rider@example.com' })
  @Transform(normalizedEmail)
  @IsString()
  @MaxLength(254)
  @Matches(PRINTABLE, { message: 'email must not contain control characters' })
  email!: string;

  @ApiProperty({ example: 'correct-horse-battery' })
  @IsString()
  @MaxLength(1024)
  password!: string;
}
