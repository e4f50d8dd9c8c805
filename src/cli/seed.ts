import { PasswordService } from '../users/password.service';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { CliError, ensureMigrated, runCli } from './cli-runtime';

const ACCOUNTS = [
  { email: 'admin@lanterne-rouge.com', isAdmin: true, env: 'SEED_ADMIN_PASSWORD', devPassword: 'admin_password_123' },
  {
    email: 'tester@lanterne-rouge.com',
    isAdmin: false,
    env: 'SEED_TESTER_PASSWORD',
    devPassword: 'tester_password_123',
  },
];

/** Creates the admin and tester accounts; running it again changes nothing. */
runCli('seed', async ({ config, db }) => {
  await ensureMigrated(db);
  const users = new UsersService(db.getRepository(User), new PasswordService(config));
  for (const account of ACCOUNTS) {
    const password = process.env[account.env];
    if (!password && config.isProduction) {
      throw new CliError(`${account.env} must be set: the development passwords are refused with NODE_ENV=production`);
    }
    if (await users.findByEmail(account.email)) {
      console.log(`exists   ${account.email}`);
      continue;
    }
    const user = await users.create({
      email: account.email,
      password: password ?? account.devPassword,
      isAdmin: account.isAdmin,
    });
    console.log(
      `created  ${user.email}${user.isAdmin ? ' (admin)' : ''}${password ? '' : ' with the development password'}`,
    );
  }
});
