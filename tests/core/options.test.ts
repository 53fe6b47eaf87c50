import { describe, expect, it } from 'vitest';
import {
	builtinDefaults,
	defaultRetryDelay,
	resolveOptions,
	retryDelayFor,
	shouldRetry,
	validateOptions,
	type ResolvedOptions
} from '../../src/lib/core/options.js';
import { QoraClient, defaultRetryDelay as exportedDefaultRetryDelay, type QoraOptions } from '../../src/lib/index.js';

const MINUTE = 60_000;
const boom = new Error('boom');
/** Options the types would reject, for validation tests. */
const loose = (options: Record<string, unknown>) => options as unknown as QoraOptions;

describe('built-in defaults', () => {
	it('staleTime 5 min, gcTime 5 min, retry 3, enabled, polling off, refetch on focus and reconnect', () => {
		expect(builtinDefaults).toMatchObject({
			staleTime: 5 * MINUTE,
			gcTime: 5 * MINUTE,
			retry: 3,
			enabled: true,
			refetchInterval: false,
			refetchOnFocus: true,
			refetchOnReconnect: true
		});
		expect(builtinDefaults.retryDelay).toBe(defaultRetryDelay);
		expect(exportedDefaultRetryDelay).toBe(defaultRetryDelay);
	});

	it('a client without config uses them; defaultOptions override them', () => {
		expect(new QoraClient().defaultOptions).toMatchObject(builtinDefaults);
		const client = new QoraClient({ defaultOptions: { staleTime: 0, retry: false } });
		expect(client.defaultOptions).toMatchObject({ ...builtinDefaults, staleTime: 0, retry: false });
	});
});

describe('defaultRetryDelay', () => {
	it('is 1 s, 2 s, 4 s, 8 s… capped at 30 s', () => {
		expect([0, 1, 2, 3, 4, 5, 6, 20].map(defaultRetryDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
	});
});

describe('resolveOptions', () => {
	const defaults = builtinDefaults as ResolvedOptions;

	it('returns the defaults when there are no per-query options', () => {
		expect(resolveOptions(defaults, undefined)).toBe(defaults);
	});

	it('per-query options override defaults; undefined values do not', () => {
		const resolved = resolveOptions(defaults, { staleTime: 10, gcTime: undefined, retry: false });
		expect(resolved).toMatchObject({ ...defaults, staleTime: 10, gcTime: 5 * MINUTE, retry: false });
	});

	it('does not modify the defaults', () => {
		resolveOptions(defaults, { staleTime: 1 });
		expect(defaults.staleTime).toBe(5 * MINUTE);
	});
});

describe('shouldRetry', () => {
	it('a number allows that many retries: failure n is retried while n <= retries', () => {
		expect([1, 2, 3, 4].map((n) => shouldRetry(3, n, boom))).toEqual([true, true, true, false]);
		expect(shouldRetry(0, 1, boom)).toBe(false);
	});

	it('true always retries, false never does', () => {
		expect(shouldRetry(true, 1000, boom)).toBe(true);
		expect(shouldRetry(false, 1, boom)).toBe(false);
	});

	it('a function decides from the failure count and the error', () => {
		const seen: [number, Error][] = [];
		const policy = (count: number, error: Error) => {
			seen.push([count, error]);
			return count < 2;
		};
		expect(shouldRetry(policy, 1, boom)).toBe(true);
		expect(shouldRetry(policy, 2, boom)).toBe(false);
		expect(seen).toEqual([
			[1, boom],
			[2, boom]
		]);
	});
});

describe('retryDelayFor', () => {
	it('a number is a fixed delay', () => {
		expect(retryDelayFor(250, 1, boom)).toBe(250);
		expect(retryDelayFor(250, 7, boom)).toBe(250);
	});

	it('a function receives the attempt index (0 for the first retry) and the error', () => {
		const calls: [number, Error][] = [];
		const delay = (attempt: number, error: Error) => {
			calls.push([attempt, error]);
			return attempt * 100;
		};
		expect(retryDelayFor(delay, 1, boom)).toBe(0);
		expect(retryDelayFor(delay, 3, boom)).toBe(200);
		expect(calls).toEqual([
			[0, boom],
			[2, boom]
		]);
	});

	it('the default gives 1 s, 2 s, 4 s after failures 1, 2, 3', () => {
		expect([1, 2, 3].map((n) => retryDelayFor(defaultRetryDelay, n, boom))).toEqual([1000, 2000, 4000]);
	});

	it('a negative, NaN or infinite delay from a function counts as 0', () => {
		expect(retryDelayFor(() => -5, 1, boom)).toBe(0);
		expect(retryDelayFor(() => NaN, 1, boom)).toBe(0);
		expect(retryDelayFor(() => Infinity, 1, boom)).toBe(0);
	});
});

describe('validateOptions', () => {
	it('accepts undefined, an empty object and every valid option', () => {
		expect(() => validateOptions(undefined, 'here')).not.toThrow();
		expect(() => validateOptions({}, 'here')).not.toThrow();
		expect(() =>
			validateOptions(
				{
					staleTime: Infinity,
					gcTime: 0,
					retry: 2,
					retryDelay: (n: number) => n,
					enabled: false,
					refetchInterval: 1000,
					refetchOnFocus: false,
					refetchOnReconnect: true,
					initialData: { a: 1 },
					initialDataUpdatedAt: 5
				},
				'here'
			)
		).not.toThrow();
		expect(() => validateOptions({ retry: true, retryDelay: 0, refetchInterval: false, staleTime: undefined }, 'here')).not.toThrow();
	});

	it('throws a TypeError for an unknown option, with a "did you mean" hint for a typo', () => {
		expect(() => validateOptions({ stalTime: 1 }, 'fetchQuery')).toThrow(TypeError);
		expect(() => validateOptions({ stalTime: 1 }, 'fetchQuery')).toThrow(/fetchQuery.*unknown option "stalTime".*did you mean "staleTime"/);
		expect(() => validateOptions({ refetchOnWindowFocus: true }, 'x')).toThrow(/did you mean "refetch/);
		expect(() => validateOptions({ cacheTime: 1 }, 'x')).toThrow(/unknown option "cacheTime"/);
	});

	it('suggests the closest known name, and TanStack’s names for renamed options', () => {
		const hint = (name: string) => {
			try {
				validateOptions({ [name]: 1 }, 'x');
			} catch (error) {
				return /did you mean "(\w+)"/.exec((error as Error).message)?.[1];
			}
			return 'accepted';
		};
		expect(hint('refetchOnFocuss')).toBe('refetchOnFocus');
		expect(hint('refetchOnReconect')).toBe('refetchOnReconnect');
		expect(hint('refetchOnWindowFocus')).toBe('refetchOnFocus');
		expect(hint('cacheTime')).toBe('gcTime');
		expect(hint('retryDelat')).toBe('retryDelay');
		expect(hint('initialDataUpdateAt')).toBe('initialDataUpdatedAt');
		expect(hint('staletime')).toBe('staleTime');
		expect(hint('stale')).toBe('staleTime');
		expect(hint('gc')).toBe('gcTime');
		expect(hint('retryD')).toBe('retryDelay'); // what it abbreviates, though "retry" is a letter nearer
		expect(hint('initial')).toBe('initialData');
		expect(hint('keepPreviousData')).toBe('placeholderData');
		expect(hint('refetchOnMount')).toBeUndefined(); // TanStack's, with no counterpart here
		expect(hint('')).toBeUndefined();
		expect(hint('somethingElse')).toBeUndefined();
	});

	it('says that TanStack’s queryKey and queryFn put in options are key and fetcher, beside options', () => {
		expect(() => validateOptions({ queryKey: ['todos'] }, 'watchQuery')).toThrow(/unknown option "queryKey"; it is "key" beside options/);
		expect(() => validateOptions({ queryFn: () => 1 }, 'watchQuery')).toThrow(/unknown option "queryFn"; it is "fetcher" beside options/);
	});

	it('says where TanStack’s nested defaultOptions.queries go', () => {
		expect(() => new QoraClient({ defaultOptions: { queries: { staleTime: 1 } } } as never)).toThrow(
			/unknown option "queries"; put query options straight in defaultOptions$/
		);
	});

	it('suggests no per-query option where only shared ones are allowed', () => {
		expect(() => validateOptions({ initialdata: 1 }, 'x', false)).toThrow(/unknown option "initialdata"$/);
		expect(() => validateOptions({ keepPreviousData: true }, 'x', false)).toThrow(/unknown option "keepPreviousData"$/);
	});

	it('names the option even when the bad value has no string form', () => {
		expect(() => validateOptions({ staleTime: Object.create(null) }, 'x')).toThrow(/^x: option "staleTime" must be .*got \{\}$/); // no toString: shown as JSON
		const { proxy, revoke } = Proxy.revocable({}, {});
		revoke();
		expect(() => validateOptions({ staleTime: proxy }, 'x')).toThrow(/^x: option "staleTime" must be .*got \(a value that cannot be shown\)/);
	});

	it('ignores inherited properties: neither checked nor applied', () => {
		const inherited = Object.create({ staleTime: -5, retry: 'often' }) as Record<string, unknown>;
		inherited['gcTime'] = 1000;
		expect(() => validateOptions(inherited, 'x')).not.toThrow();
		expect(resolveOptions(builtinDefaults, inherited)).toMatchObject({ staleTime: builtinDefaults.staleTime, retry: 3, gcTime: 1000 });
	});

	it('names the call in the message', () => {
		expect(() => validateOptions({ staleTime: -1 }, 'watchQuery')).toThrow(/^watchQuery: option "staleTime"/);
	});

	it('throws a TypeError when options is not an object', () => {
		for (const bad of [null, 5, 'x', true, [], () => ({})]) {
			expect(() => validateOptions(bad, 'here')).toThrow(TypeError);
			expect(() => validateOptions(bad, 'here')).toThrow(/^here: options must be an object, got (null|number|string|boolean|an array|function)$/);
		}
	});

	const wrong: [string, unknown][] = [
		['staleTime', '5'],
		['staleTime', -1],
		['staleTime', NaN],
		['gcTime', null],
		['gcTime', -0.5],
		['retry', -1],
		['retry', 1.5],
		['retry', '3'],
		['retry', NaN],
		['retryDelay', -1],
		['retryDelay', Infinity],
		['retryDelay', '1000'],
		['enabled', 'yes'],
		['enabled', 1],
		['refetchInterval', true],
		['refetchInterval', -1],
		['refetchInterval', Infinity],
		['refetchOnFocus', 'true'],
		['refetchOnReconnect', 0],
		['initialDataUpdatedAt', '0'],
		['initialDataUpdatedAt', NaN],
		['initialDataUpdatedAt', -1],
		['initialDataUpdatedAt', Infinity],
		['placeholderData', Symbol('other')],
		['placeholderData', 'previous']
	];
	for (const [name, value] of wrong) {
		it(`throws a TypeError naming "${name}" for ${String(value)}`, () => {
			expect(() => validateOptions({ [name]: value }, 'here')).toThrow(TypeError);
			expect(() => validateOptions({ [name]: value }, 'here')).toThrow(`"${name}"`);
		});
	}

	it('rejects per-query options among global defaults', () => {
		expect(() => validateOptions({ initialData: 1 }, 'defaults', false)).toThrow(/per query only/);
		expect(() => validateOptions({ placeholderData: Symbol.for('qora.keepPrevious') }, 'defaults', false)).toThrow(/per query only/);
	});

	it('accepts 0, the epoch, as initialDataUpdatedAt', () => {
		expect(() => validateOptions({ initialDataUpdatedAt: 0 }, 'here')).not.toThrow();
	});

	it('accepts qora/svelte’s keepPrevious as placeholderData, so one query definition also serves imperative calls', () => {
		expect(() => validateOptions({ placeholderData: Symbol.for('qora.keepPrevious') }, 'fetchQuery')).not.toThrow();
	});
});

describe('options are validated at every call that takes them', () => {
	const fetcher = () => 1;
	const calls: [string, (options: QoraOptions) => unknown][] = [
		['new QoraClient({ defaultOptions })', (options) => new QoraClient({ defaultOptions: options })],
		['fetchQuery', (options) => new QoraClient().fetchQuery({ key: ['k'], fetcher, options })],
		['prefetchQuery', (options) => new QoraClient().prefetchQuery({ key: ['k'], fetcher, options })],
		['watchQuery', (options) => new QoraClient().watchQuery({ key: ['k'], fetcher, options })]
	];
	for (const [name, call] of calls) {
		it(`${name} throws a TypeError at the call for an unknown option or a wrong type`, () => {
			expect(() => call(loose({ staletime: 1 }))).toThrow(TypeError);
			expect(() => call(loose({ staletime: 1 }))).toThrow(/did you mean "staleTime"/);
			expect(() => call(loose({ retry: 'often' }))).toThrow(TypeError);
			expect(() => call(loose({ gcTime: -1 }))).toThrow(TypeError);
		});
	}

	it('new QoraClient rejects initialData in defaultOptions and a config that is not an object', () => {
		expect(() => new QoraClient({ defaultOptions: loose({ initialData: 1 }) })).toThrow(TypeError);
		expect(() => new QoraClient(null as never)).toThrow(TypeError);
		expect(() => new QoraClient(5 as never)).toThrow(TypeError);
	});

	it('a rejected call leaves the cache untouched', () => {
		const client = new QoraClient();
		expect(() => client.fetchQuery({ key: ['k'], fetcher, options: loose({ stale: 1 }) })).toThrow(TypeError);
		expect(client.size).toBe(0);
	});
});
