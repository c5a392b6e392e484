import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyValue,
  describeShape,
  forEachLabelCode,
  labelOfCode,
  SHAPE_KINDS,
  shapeKind,
  shapeLabels,
} from './value-shape.js';

const TABLE: [string | number | boolean, string][] = [
  ['', 'empty'],
  ['   ', 'blank'],
  ['0', 'zero'],
  ['0.00', 'zero'],
  ['-0', 'zero'],
  ['42', 'integer'],
  ['+7', 'integer'],
  ['-42', 'integer negative'],
  ['007', 'integer leading-zero'],
  ['12.50', 'decimal'],
  ['0.5', 'decimal'],
  ['-3.5', 'decimal negative'],
  ['1e5', 'decimal'],
  ['2.5E-3', 'decimal'],
  ['1,5', 'comma-number'],
  ['12,50', 'comma-number'],
  ['1,2,3', 'list'],
  ['a,b', 'list'],
  ['red|blue|green', 'list'],
  ['true', 'boolean'],
  ['FALSE', 'boolean'],
  ['yes', 'boolean'],
  ['550e8400-e29b-41d4-a716-446655440000', 'uuid'],
  ['9f86d081884c7d659a2feaa0c55ad015', 'hex'],
  ['ann@example.com', 'email'],
  ['https://example.com/a?b=c', 'url'],
  ['2024-03-14', 'date'],
  ['2024-03-14T09:15:02Z', 'date'],
  ['14/03/2024', 'date'],
  ['{"a":1}', 'json quote'],
  ['[1,2,3]', 'json'],
  ['hello', 'word'],
  ['SKU-1234', 'word'],
  ['v1.2.3', 'word'],
  ['hello world', 'text'],
  ['a@b', 'text'],
  [' padded', 'word padded'],
  ['12.5 ', 'decimal padded'],
  ["O'Brien", 'word quote'],
  ['Zürich', 'word non-ascii'],
  ['日本', 'word non-ascii'],
  ['x'.repeat(65), 'word long'],
  ['x'.repeat(64), 'word'],
  ['a\u0000b', 'word control'],
  ['line\nbreak', 'text'],
  [12.5, 'decimal'],
  [-3, 'integer negative'],
  [0, 'zero'],
  [7, 'integer'],
  [false, 'boolean'],
];

describe('classifyValue', () => {
  it.each(TABLE)('%j is %s', (value, labels) => {
    expect(shapeLabels(classifyValue(value)).join(' ')).toBe(labels);
  });

  it('gives every string one kind, and the traits it has (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (s) => {
        const shape = classifyValue(s);
        expect(SHAPE_KINDS).toContain(shapeKind(shape));
        const labels = shapeLabels(shape);
        expect(labels.includes('long')).toBe(s.length > 64);
        expect(labels.includes('non-ascii')).toBe([...s].some((c) => c.charCodeAt(0) >= 128));
        const codes: string[] = [];
        forEachLabelCode(shape, (code) => codes.push(labelOfCode(code)));
        expect(codes).toEqual(labels);
      }),
    );
  });

  it('reads every integer and decimal the way Number does (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 99 }),
        (whole, cents) => {
          const integer = shapeLabels(classifyValue(String(whole)));
          expect(integer[0]).toBe(whole === 0 ? 'zero' : 'integer');
          expect(integer.includes('negative')).toBe(whole < 0);
          const decimal = `${whole}.${String(cents).padStart(2, '0')}`;
          expect(shapeKind(classifyValue(decimal))).toBe(
            Number(decimal) === 0 ? 'zero' : 'decimal',
          );
        },
      ),
    );
  });
});

describe('describeShape', () => {
  it('says what the value looks like', () => {
    expect(describeShape('amount', 'decimal')).toBe('`amount` with a decimal point');
    expect(describeShape('q', 'empty')).toBe('an empty `q`');
    expect(describeShape('name', 'non-ascii')).toBe('non-ASCII characters in `name`');
    expect(describeShape('q', 'long')).toBe('`q` longer than 64 characters');
  });
});
