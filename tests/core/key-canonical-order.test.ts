/** The insertion sort of a key object's names must order them exactly as Array#sort did. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyCode } from '../../src/lib/core/key-code.js';
import { hashKey, normalizeKey, QoraKey } from '../../src/lib/core/key.js';
import { HEAVY_TEST_TIMEOUT } from './helpers.js';

/** Canonical JSON written independently: names sorted by Array#sort's default (UTF-16 code units). */
function reference(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(reference).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const names = Object.keys(value).sort();
		const parts: string[] = [];
		// JSON.stringify orders integer-like names first (engine order of the copy), as the old code did.
		const copy: Record<string, unknown> = {};
		for (const name of names) {
			const part = (value as Record<string, unknown>)[name];
			if (part === undefined) continue;
			Object.defineProperty(copy, name, { value: part, enumerable: true, configurable: true, writable: true });
		}
		for (const name of Object.keys(copy)) parts.push(`${JSON.stringify(name)}:${reference(copy[name])}`);
		return `{${parts.join(',')}}`;
	}
	return JSON.stringify(value === 0 ? 0 : value);
}

const odd = ['__proto__', '10', '9', '-1', '', '0', '01', '1e3', '4294967295', '4294967294', 'a', 'B', 'é', '\uD83D\uDE00', '\uFF61', 'constructor', 'toString', ' ', 'aa', 'a\u0000'];
const nameArb = fc.oneof(fc.constantFrom(...odd), fc.string({ maxLength: 3 }), fc.string({ unit: 'binary', maxLength: 2 }), fc.nat(30).map(String));

function build(names: string[], values: unknown[]): Record<string, unknown> {
	const object: Record<string, unknown> = {};
	names.forEach((name, i) => Object.defineProperty(object, name, { value: values[i % values.length], enumerable: true, configurable: true, writable: true }));
	return object;
}

describe('key objects stay canonical with the insertion sort', () => {
	it('hashes any order of the same names (odd ones included, up to 40 names) identically, as Array#sort ordered them', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(nameArb, { maxLength: 40 }),
				fc.array(fc.oneof(fc.integer(), fc.string({ maxLength: 2 }), fc.constant(null), fc.constant(undefined), fc.constant(-0)), { minLength: 1, maxLength: 5 }),
				fc.integer(),
				(names, values, seed) => {
					const a = build(names, values);
					const shuffled = [...names].sort(() => 0).reverse();
					// A deterministic shuffle from the seed.
					let s = seed | 0;
					for (let i = shuffled.length - 1; i > 0; i--) {
						s = (Math.imul(s, 1103515245) + 12345) | 0;
						const j = (s >>> 8) % (i + 1);
						[shuffled[i], shuffled[j]] = [shuffled[j] as string, shuffled[i] as string];
					}
					const valueOf = new Map(names.map((name) => [name, a[name]]));
					const b = build(shuffled, []);
					for (const name of shuffled) Object.defineProperty(b, name, { value: valueOf.get(name), enumerable: true, configurable: true, writable: true });
					const key = ['x', a, [a]];
					expect(hashKey(key)).toBe(reference(key));
					expect(hashKey(['x', b, [b]])).toBe(hashKey(key));
					expect(keyCode(['x', b, [b]])).toBe(keyCode(key));
					expect(new QoraKey(['x', b, [b]]).hash).toBe(new QoraKey(key).hash);
					expect(JSON.stringify(normalizeKey(key))).toBe(hashKey(key));
				}
			),
			{ numRuns: 3000 }
		);
	}, HEAVY_TEST_TIMEOUT);

	it('orders 16 and 17 names (either side of the Array#sort threshold) the same way', () => {
		for (const n of [15, 16, 17]) {
			const names = Array.from({ length: n }, (_, i) => ['z', '__proto__', '10', '9', '-1', '', 'é', '\uD83D\uDE00', '\uFF61', 'A', 'a'][i] ?? `n${n - i}`);
			const forward = build(names, [1]);
			const backward = build([...names].reverse(), [1]);
			expect(hashKey([forward])).toBe(hashKey([backward]));
			expect(hashKey([forward])).toBe(reference([forward]));
		}
	});

	it('sorts a crafted key object of 20,000 names in reverse order promptly (no quadratic sort)', () => {
		const object: Record<string, number> = {};
		for (let i = 19_999; i >= 0; i--) object[`n${String(i).padStart(5, '0')}`] = i;
		const started = performance.now();
		const names = Object.keys(normalizeKey([object])[0] as object);
		expect(performance.now() - started).toBeLessThan(5000);
		expect(names[0]).toBe('n00000');
		expect(names[19_999]).toBe('n19999');
	});

	it('keeps "__proto__" as a property and sorts surrogate pairs by code unit, not code point', () => {
		const key = [{ '\uFF61': 1, '\uD83D\uDE00': 2, ['__proto__']: 3 } as Record<string, number>];
		Object.defineProperty(key[0], '__proto__', { value: 3, enumerable: true });
		const parts = normalizeKey(key);
		expect(Object.keys(parts[0] as object)).toEqual(['__proto__', '\uD83D\uDE00', '\uFF61']);
		expect(Object.getPrototypeOf(parts[0])).toBe(Object.prototype);
	});
});
