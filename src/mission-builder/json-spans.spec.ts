import { findJsonRegions } from './json-spans';

const texts = (text: string): string[] => findJsonRegions(text).map((region) => text.slice(region.start, region.end));

describe('findJsonRegions', () => {
  it('finds every complete object or array in prose, outermost only', () => {
    const text = 'a {"x": [1, 2]} b [3, {"y": null}] c {} d []';
    expect(texts(text)).toEqual(['{"x": [1, 2]}', '[3, {"y": null}]', '{}', '[]']);
    for (const found of texts(text)) {
      expect(() => JSON.parse(found) as unknown).not.toThrow();
    }
  });

  it('agrees with JSON.parse on valid and invalid documents', () => {
    const samples = [
      '{"a": 1}',
      '[1, -2.5e+3, true, false, null, "s\\"\\u00e9\\n"]',
      '{"a": {"b": [[], {}]}}',
      ' [ 1 , 2 ] ',
      '{"a": 1,}',
      '[1,]',
      '[01]',
      '{a: 1}',
      "{'a': 1}",
      '[1 2]',
      '{"a" 1}',
      '["tab\there"]',
      '["bad \\x escape"]',
      '[1}',
      '{"a": [1, 2}',
      '[truex]',
      '[.5]',
      '[NaN]',
    ];
    for (const sample of samples) {
      let valid = true;
      try {
        JSON.parse(sample);
      } catch {
        valid = false;
      }
      expect([sample, texts(sample)]).toEqual([sample, valid ? [sample.trim()] : []]);
    }
  });

  it('lists the number and string tokens of a region', () => {
    const text = '{"n": 12, "s": "a 12", "l": [3]}';
    const [region] = findJsonRegions(text);
    expect(region.numbers.map(([from, to]) => text.slice(from, to))).toEqual(['12', '3']);
    expect(region.strings.map(([from, to]) => text.slice(from, to))).toEqual(['"n"', '"s"', '"a 12"', '"l"']);
  });

  it('resumes after a broken attempt and finds the JSON nested in it', () => {
    expect(texts('{oops [1, 2]}')).toEqual(['[1, 2]']);
    expect(texts('{"a": 1, "b": ')).toEqual([]);
  });
});
