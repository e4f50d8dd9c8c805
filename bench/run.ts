import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startFakeOpenAi } from '../test/helpers/fake-openai.server';
import { PROJECT_ROOT } from '../test/helpers/server-process';
import { type BenchArgs, COACH_CONCURRENCY_BENCH, parseArgs } from './args';
import { benchmark, type Measurements } from './rows';
import { formatTable, notesOf, type Row, rowsOf } from './report';
import { type AppProcess, createDatabase, generatedSecret, planCores, pinSelf, startApp, tail } from './target';

export interface MachineInfo {
  nproc: number;
  cpu: string;
  node: string;
  memory_gib: number;
  load_average_at_start: number[];
  taskset: boolean;
  server_cores: number[];
  driver_cores: number[];
}

function machineInfo(cores: number, plan: ReturnType<typeof planCores>): MachineInfo {
  const cpuinfo = fs.existsSync('/proc/cpuinfo') ? fs.readFileSync('/proc/cpuinfo', 'utf8') : '';
  return {
    nproc: cores,
    cpu: /model name\s*:\s*(.+)/.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    memory_gib: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    load_average_at_start: os.loadavg().map((n) => Math.round(n * 100) / 100),
    taskset: plan.taskset,
    server_cores: plan.serverCores,
    driver_cores: plan.driverCores,
  };
}

async function main(args: BenchArgs): Promise<void> {
  const cores = os.availableParallelism();
  const plan = planCores(cores, args.pin);
  pinSelf(plan);
  const machine = machineInfo(cores, plan);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lr-bench-'));
  const logFile = path.join(work, 'server.log');
  const fake = await startFakeOpenAi({ kind: 'delay', ms: args.llmDelayMs, then: { kind: 'plan' } });
  const db = await createDatabase(args.db, work, args.pgAdminUrl);
  let app: AppProcess | undefined;
  let floor: AppProcess | undefined;
  const started = Date.now();
  try {
    app = await startApp(
      {
        NODE_ENV: 'production',
        SECRET_KEY: generatedSecret(),
        TOKEN_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
        DATABASE_URL: db.url,
        RATE_LIMIT_ENABLED: 'false',
        BCRYPT_ROUNDS: String(args.bcryptRounds),
        LOG_DIR: path.join(work, 'logs'),
        OPENAI_API_KEY: 'bench-key',
        OPENAI_BASE_URL: fake.url,
        ENABLE_MISSION_SCHEDULER: 'false',
        COACH_CONCURRENCY: String(COACH_CONCURRENCY_BENCH),
        METRICS_ENABLED: 'true',
      },
      plan,
      logFile,
    );
    // The framework's floor (bench/floor/main.ts): a bare Nest app on the same cores, measured in the same run.
    floor = await startApp(
      { NODE_ENV: 'production' },
      plan,
      path.join(work, 'floor.log'),
      path.join(PROJECT_ROOT, 'dist/bench/floor/main.js'),
    );
    console.error(
      `bench: server pid ${app.pid} (floor app pid ${floor.pid}) on core(s) ${plan.serverCores.join(',')}, load generator on ${plan.driverCores.join(',')}; ${db.kind}; log ${logFile}`,
    );
    const measured: Measurements = await benchmark(app, floor, db, args, plan, fake);
    const rows: Row[] = rowsOf(measured, args);
    const when = new Date();
    const title = `Lanterne Rouge API bench, ${when.toISOString()}, ${db.kind}${args.quick ? ' (quick)' : ''}: ${machine.cpu}, ${machine.nproc} cores (server on ${plan.serverCores.length}), Node ${machine.node}, load avg at start ${machine.load_average_at_start.join(' ')}`;
    console.log([formatTable(title, rows), ...notesOf(measured)].join('\n'));
    const out = path.join(
      PROJECT_ROOT,
      'bench',
      'results',
      `${when.toISOString().slice(0, 19).replace(/:/g, '-')}Z-${db.kind}${args.quick ? '-quick' : ''}.json`,
    );
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      `${JSON.stringify({ date: when.toISOString(), db: db.kind, args, machine, runtime_seconds: Math.round((Date.now() - started) / 1000), rows, measurements: measured }, null, 2)}\n`,
    );
    console.log(`\nwritten to ${path.relative(PROJECT_ROOT, out)}`);
  } catch (error) {
    console.error(
      `bench failed: ${(error as Error).stack ?? String(error)}\n--- server log tail ---\n${tail(logFile)}`,
    );
    process.exitCode = 1;
  } finally {
    await app?.stop();
    await floor?.stop();
    await fake.close();
    await db.drop().catch((error: Error) => console.error(`could not drop the bench database: ${error.message}`));
    if (!args.keep) {
      fs.rmSync(work, { recursive: true, force: true });
    }
  }
}

main(parseArgs(process.argv.slice(2))).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
