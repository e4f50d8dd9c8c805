import { REDACTED, createTextScrubber, redactEventName, redactQuestionnaire, scrubDeep, scrubText } from './redaction';

const questionnaire = {
  event_name: 'Unbound Gravel 200',
  event_date: '2030-05-30',
  mission_type: 'gravel_ultra',
  weekly_hours: { min: 8, max: 12 },
  current_ftp: 287,
  preferred_training_days: ['Tuesday', 'Thursday', 'Saturday'],
  constraints: 'Left knee surgery in March.\nNo rides before 6am; "quiet" roads <50 km/h only',
  riding_style: 'steady',
};

describe('redactEventName', () => {
  it.each([
    ['Unbound Gravel 200', 'Unbound ... 200'],
    ['Tour of the Alps 2030 Sportive', 'Tour ... Sportive'],
    ['  Paris   Brest  Paris ', 'Paris ... Paris'],
    ['Unbound Gravel', 'Unbound Gravel'],
    ['Unbound', 'Unbound'],
  ])('turns %p into %p', (name, expected) => {
    expect(redactEventName(name)).toBe(expected);
  });
});

describe('redactQuestionnaire', () => {
  it('hides the FTP, the constraints and the training days and shortens the event name', () => {
    expect(redactQuestionnaire(questionnaire)).toEqual({
      ...questionnaire,
      event_name: 'Unbound ... 200',
      current_ftp: REDACTED,
      preferred_training_days: REDACTED,
      constraints: REDACTED,
    });
  });

  it('leaves absent optional fields absent and does not touch its input', () => {
    const minimal = { event_name: 'Gran Fondo', current_ftp: 200 };
    expect(redactQuestionnaire(minimal)).toEqual({
      event_name: 'Gran Fondo',
      current_ftp: REDACTED,
    });
    expect(minimal.current_ftp).toBe(200);
  });
});

describe('createTextScrubber', () => {
  const scrub = createTextScrubber(questionnaire);

  it('removes the FTP wherever it stands as a number', () => {
    expect(scrub('FTP 287 W, ftp=287, 287W, (287)')).toBe(
      `FTP ${REDACTED} W, ftp=${REDACTED}, ${REDACTED}W, (${REDACTED})`,
    );
    expect(scrub('"current_ftp": 287,')).toBe(`"current_ftp": "${REDACTED}",`);
  });

  it('leaves other numbers that merely contain the FTP digits', () => {
    expect(scrub('2870 m climbing, 12870 and 1287')).toBe('2870 m climbing, 12870 and 1287');
  });

  it('removes the constraints text raw, re-spaced, re-cased, JSON-escaped or unicode-escaped', () => {
    const raw = questionnaire.constraints;
    const json = JSON.stringify(raw).slice(1, -1);
    const unicodeEscaped = json.replace(/</g, '\\u003c');
    for (const text of [raw, raw.toUpperCase(), raw.replace(/\s+/g, '  '), json, unicodeEscaped]) {
      expect(scrub(`before ${text} after`)).toBe(`before ${REDACTED} after`);
    }
  });

  it('removes a sentence of the constraints quoted on its own', () => {
    expect(scrub('Noted: left knee surgery in March, so no big gears.')).toBe(`Noted: ${REDACTED}, so no big gears.`);
  });

  it('removes the training days, their plurals and their abbreviations', () => {
    expect(scrub('Intervals on Tuesdays, long ride saturday, Thu/Thurs openers, rest Monday')).toBe(
      `Intervals on ${REDACTED}, long ride ${REDACTED}, ${REDACTED}/${REDACTED} openers, rest Monday`,
    );
    expect(scrub('days:\\nTuesday')).toBe(`days:\\n${REDACTED}`);
  });

  it('shortens the full event name in text', () => {
    expect(scrub('Your unbound  gravel 200 plan')).toBe('Your Unbound ... 200 plan');
  });

  it('treats regular-expression characters in user text literally', () => {
    const tricky = createTextScrubber({ event_name: 'Race (A+B) $1 [x]', constraints: 'a.b*c?' });
    expect(tricky('Race (A+B) $1 [x] and a.b*c? but aXbbc')).toBe(`Race ... [x] and ${REDACTED} but aXbbc`);
  });

  it('does nothing for a questionnaire without sensitive values', () => {
    expect(scrubText('ride 287 on Tuesday', { event_name: 'Fondo' })).toBe('ride 287 on Tuesday');
  });

  it('scrubs every string of a nested value', () => {
    const value = { messages: [{ role: 'user', content: 'FTP 287' }], tokens: 287, reply: null };
    expect(scrubDeep(value, scrub)).toEqual({
      messages: [{ role: 'user', content: `FTP ${REDACTED}` }],
      tokens: 287,
      reply: null,
    });
  });
});

describe('createTextScrubber: the FTP where it is a JSON value', () => {
  const scrub = createTextScrubber({ current_ftp: 250 });

  it('quotes it as a member value, so a pretty-printed block still parses', () => {
    const block = JSON.stringify({ weekly_hours: { min: 8, max: 12 }, current_ftp: 250 }, null, 2);
    const scrubbed = scrub(`Questionnaire:\n${block}\nThanks`);
    const parsed = JSON.parse(scrubbed.slice(scrubbed.indexOf('{'), scrubbed.lastIndexOf('}') + 1));
    expect(parsed).toEqual({ weekly_hours: { min: 8, max: 12 }, current_ftp: REDACTED });
    expect(scrubbed).not.toMatch(/250/);
  });

  it('replaces it unquoted inside a JSON string, so the string stays one string', () => {
    const reply = JSON.stringify({
      notes: 'Hold 250 W, [250] or {"ftp": 250} on climbs',
      ftp: 250,
    });
    expect(JSON.parse(scrub(reply))).toEqual({
      notes: `Hold ${REDACTED} W, [${REDACTED}] or {"ftp": "${REDACTED}"} on climbs`,
      ftp: REDACTED,
    });
  });

  it('keeps JSON inside a JSON string valid at both levels', () => {
    const outer = JSON.stringify({ content: JSON.stringify({ current_ftp: 250 }) });
    const scrubbed = scrub(outer);
    const inner = (JSON.parse(scrubbed) as { content: string }).content;
    expect(JSON.parse(inner)).toEqual({ current_ftp: REDACTED });
  });

  it('quotes a member value in JSON that is cut off or broken, and leaves prose unquoted', () => {
    expect(scrub('{"name": "x", "current_ftp": 250, "notes": "unfinished')).toBe(
      `{"name": "x", "current_ftp": "${REDACTED}", "notes": "unfinished`,
    );
    expect(scrub('FTP: 250, weight 70')).toBe(`FTP: ${REDACTED}, weight 70`);
    expect(scrub('He said "ftp": 250 watts')).toBe(`He said "ftp": ${REDACTED} watts`);
  });

  it('finds the JSON in a fenced reply with prose around it', () => {
    const scrubbed = scrub('Here:\n```json\n{"constraints": {"ftp_cap": 250}}\n```\nEnjoy');
    expect(scrubbed).toBe(`Here:\n\`\`\`json\n{"constraints": {"ftp_cap": "${REDACTED}"}}\n\`\`\`\nEnjoy`);
  });

  it('stays fast on hostile text', () => {
    for (const text of ['['.repeat(200_000) + '250', '{"a":'.repeat(50_000) + '250', '"'.repeat(100_000) + '250']) {
      const started = Date.now();
      expect(scrub(text)).not.toMatch(/250/);
      expect(Date.now() - started).toBeLessThan(2000);
    }
  });
});
