/**
 * Counts what a suite tried and what misbehaved, and prints one line per category when the suite ends
 * (straight to stdout, so CI logs show it without Jest's console decoration).
 */
export class Tally {
  private readonly counts = new Map<string, { tried: number; misbehaved: number; notes: string[] }>();

  constructor(private readonly suite: string) {}

  private entry(category: string): { tried: number; misbehaved: number; notes: string[] } {
    let entry = this.counts.get(category);
    if (!entry) {
      entry = { tried: 0, misbehaved: 0, notes: [] };
      this.counts.set(category, entry);
    }
    return entry;
  }

  tried(category: string, n = 1): void {
    this.entry(category).tried += n;
  }

  /** Records a misbehaviour with a short description (the first few are printed). */
  misbehaved(category: string, note: string): void {
    const entry = this.entry(category);
    entry.misbehaved += 1;
    entry.notes.push(note);
  }

  note(category: string, note: string): void {
    this.entry(category).notes.push(`(info) ${note}`);
  }

  problems(category?: string): string[] {
    const entries = category ? [this.entry(category)] : [...this.counts.values()];
    return entries.flatMap((e) => e.notes.filter((n) => !n.startsWith('(info)')));
  }

  print(): void {
    const lines = [...this.counts.entries()].map(([category, e]) => {
      const shown = e.notes
        .slice(0, 8)
        .map((n) => `\n      - ${n}`)
        .join('');
      const more = e.notes.length > 8 ? `\n      - ... ${e.notes.length - 8} more` : '';
      return `  ${category}: ${e.tried} tried, ${e.misbehaved} misbehaved${shown}${more}`;
    });
    process.stdout.write(`\nresilience [${this.suite}]\n${lines.join('\n')}\n`);
  }
}
