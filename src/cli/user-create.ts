import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { randomBytes } from 'node:crypto';
import { RegisterDto } from '../auth/dto/register.dto';
import { PasswordService } from '../users/password.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { CliError, ensureMigrated, parseCliArgs, runCli } from './cli-runtime';

const USAGE = 'usage: npm run user:create -- --email X [--admin] [--password P]';

/** npm run user:create -- --email X [--admin] [--password P]; else USER_PASSWORD; else a generated one, printed once. */
runCli('user:create', async ({ config, db }) => {
  const values = parseCliArgs(
    { email: { type: 'string' }, admin: { type: 'boolean', default: false }, password: { type: 'string' } },
    USAGE,
  );
  if (!values.email) {
    throw new CliError(USAGE);
  }
  const generated = !values.password && !process.env.USER_PASSWORD;
  const password = values.password ?? process.env.USER_PASSWORD ?? randomBytes(18).toString('base64url');
  const dto = plainToInstance(RegisterDto, { email: values.email, password });
  const problems = await validate(dto);
  if (problems.length > 0) {
    throw new CliError(problems.flatMap((p) => Object.values(p.constraints ?? {})).join('; '));
  }
  await ensureMigrated(db);
  const users = new UsersService(db.getRepository(User), new PasswordService(config));
  const user = await users.create({ email: dto.email, password, isAdmin: values.admin });
  console.log(`created user ${user.id} ${user.email}${user.isAdmin ? ' (admin)' : ''}`);
  if (generated) {
    console.log(`generated password (shown once): ${password}`);
  }
});
