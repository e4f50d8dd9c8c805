export interface BenchArgs {
  db: 'sqlite' | 'postgres';
  quick: boolean;
  /** Length of each throughput row (1-3). */
  seconds: number;
  /** Length of each login run (row 4), per concurrency. */
  loginSeconds: number;
  connections: number;
  /** Authenticated requests before the two memory samples (row 6). */
  memoryAt: [number, number];
  drafts: number;
  llmDelayMs: number;
  bcryptRounds: number;
  pgAdminUrl: string;
  keep: boolean;
  /** Rows to run (all by default; row 7 always reports what the others did). */
  rows: number[];
  /** Pin the server and the load generator to separate cores with taskset (default when available). */
  pin: boolean;
}

const USAGE = `npm run bench -- [--quick] [--db sqlite|postgres] [--seconds N] [--login-seconds N]
  [--connections N] [--drafts N] [--pg-url postgres://postgres@127.0.0.1:5432/postgres] [--keep] [--rows 1,2,4] [--no-pin]

  --quick          shorter rows (about 1.5 minutes in all instead of about 3)
  --db postgres    run on a fresh PostgreSQL database, created and dropped through --pg-url
  --keep           keep the scratch folder (server log, SQLite file, LLM attempt logs)
  --rows 1,4,5     run only these rows (for a diagnosis; row 7 then counts what ran; the floor app is
                   measured whenever a row compared with it runs: 1, 2, 3, 6, 12, 13)
  --no-pin         let the server and the load generator share every core (no taskset)
  UV_THREADPOOL_SIZE in the environment is passed to the server (bcrypt runs on that pool)
  BENCH_CPU_PROF_DIR  in the environment: the server runs with node --cpu-prof and writes its profiles there
  BCRYPT_ROUNDS    in the environment: the cost the server and the hash-limit measurement use (12)`;

export function parseArgs(argv: string[]): BenchArgs {
  const quick = argv.includes('--quick');
  const args: BenchArgs = {
    db: 'sqlite',
    quick,
    seconds: quick ? 3 : 10,
    loginSeconds: quick ? 6 : 15,
    connections: 16,
    memoryAt: [10_000, 50_000],
    drafts: quick ? 60 : 200,
    llmDelayMs: 200,
    bcryptRounds: Number(process.env.BCRYPT_ROUNDS ?? 12),
    pgAdminUrl: process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    keep: false,
    rows: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    pin: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) {
        throw new Error(`${flag} needs a value\n${USAGE}`);
      }
      return v;
    };
    const positive = (): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1) {
        throw new Error(`${flag} must be a positive integer\n${USAGE}`);
      }
      return n;
    };
    switch (flag) {
      case '--quick':
        break;
      case '--db': {
        const db = value();
        if (db !== 'sqlite' && db !== 'postgres') {
          throw new Error(`--db must be sqlite or postgres\n${USAGE}`);
        }
        args.db = db;
        break;
      }
      case '--seconds':
        args.seconds = positive();
        break;
      case '--login-seconds':
        args.loginSeconds = positive();
        break;
      case '--connections':
        args.connections = positive();
        break;
      case '--drafts':
        args.drafts = positive();
        break;
      case '--pg-url':
        args.pgAdminUrl = value();
        break;
      case '--keep':
        args.keep = true;
        break;
      case '--no-pin':
        args.pin = false;
        break;
      case '--rows':
        args.rows = value()
          .split(',')
          .map(Number)
          .filter((n) => Number.isInteger(n) && n >= 1 && n <= 15);
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!Number.isInteger(args.bcryptRounds) || args.bcryptRounds < 4 || args.bcryptRounds > 15) {
    throw new Error('BCRYPT_ROUNDS must be an integer from 4 to 15');
  }
  return args;
}

/** COACH_CONCURRENCY of the bench's server (row 14: 1,000 briefings, ideal 1,000 x LLM delay / this). */
export const COACH_CONCURRENCY_BENCH = 8;
