import { getMetadataStorage } from 'class-validator';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppConfig } from '../../src/config/app-config';
import { PROJECT_ROOT } from '../helpers/server-process';

/** Defaults that depend on the machine, written in .env.example as this machine's value would mislead. */
const MACHINE_DEPENDENT = new Set(['BCRYPT_CONCURRENCY']);

/** `.env.example` lists every variable the configuration reads, each with its real default. */
describe('.env.example (e2e)', () => {
  const listed = new Map<string, string>();
  for (const line of fs.readFileSync(path.join(PROJECT_ROOT, '.env.example'), 'utf8').split('\n')) {
    const match = /^#? ?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) {
      listed.set(match[1], match[2]);
    }
  }
  const defaults = new AppConfig() as unknown as Record<string, unknown>;
  /** Every validated variable, those without a default (unset unless given) included. */
  const variables = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(AppConfig, '', true, false)
        .map((m) => m.propertyName),
    ),
  ];
  const optional = variables.filter((name) => defaults[name] === undefined);

  it('names every configuration variable (add a new one there, with its default)', () => {
    expect(variables.length).toBeGreaterThan(30);
    const missing = variables.filter((name) => !listed.has(name));
    expect(missing).toEqual([]);
  });

  it('gives each its default', () => {
    const wrong = Object.entries(defaults)
      .filter(([name]) => !MACHINE_DEPENDENT.has(name))
      .map(([name, value]) => [
        name,
        value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value),
      ])
      .filter(([name, value]) => listed.get(name) !== value)
      .map(([name, value]) => `${name}: .env.example says ${listed.get(name)}, the default is ${value}`);
    expect(wrong).toEqual([]);
    optional.forEach((name) => expect(listed.get(name)).toBe(''));
  });
});
