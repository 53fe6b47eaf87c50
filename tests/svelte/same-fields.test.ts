/** sameFields: the shallow equality the stores use to tell news from a rebuilt snapshot. */
import { describe, expect, it } from 'vitest';
import { sameFields } from '../../src/lib/svelte/same-fields.js';

describe('sameFields', () => {
	it('counts a missing field as undefined, on either side', () => {
		expect(sameFields({ staleTime: 1000 }, { staleTime: 1000, enabled: undefined })).toBe(true);
		expect(sameFields({ staleTime: 1000, enabled: undefined }, { staleTime: 1000 })).toBe(true);
		expect(sameFields(undefined, { enabled: undefined })).toBe(true);
		expect(sameFields({ staleTime: 1000 }, { staleTime: 1000, enabled: false })).toBe(false);
		expect(sameFields({ staleTime: 1000, enabled: false }, { staleTime: 1000 })).toBe(false);
	});
});
