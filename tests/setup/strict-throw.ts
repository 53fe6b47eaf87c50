// vitest 4's `toThrow('text')` and `toThrow(/re/)` pass when the code throws `undefined` or
// `null` (they find no message and match anyway), so such an assertion cannot catch an error
// that got lost on the way. Here they fail instead, saying what was thrown; everything else
// is left to vitest's own matcher.
import { chai } from 'vitest';

chai.use((api, utils) => {
	for (const name of ['toThrow', 'toThrowError']) {
		utils.overwriteMethod(api.Assertion.prototype, name, (original: (...args: unknown[]) => unknown) => {
			return function (this: Chai.AssertionStatic, ...args: unknown[]) {
				const expected = args[0];
				if ((typeof expected === 'string' || expected instanceof RegExp) && !utils.flag(this, 'negate')) {
					const subject: unknown = utils.flag(this, 'object');
					let threw = false;
					let thrown: unknown;
					if (utils.flag(this, 'promise') === 'rejects') {
						threw = true;
						thrown = subject;
					} else if (typeof subject === 'function') {
						try {
							subject();
						} catch (error) {
							threw = true;
							thrown = error;
						}
						// vitest's matcher sees the same outcome without running the code a second time.
						utils.flag(this, 'object', threw ? () => { throw thrown; } : () => {});
					}
					if (threw && (thrown === undefined || thrown === null)) {
						throw new api.AssertionError(`expected an error matching ${String(expected)} to be thrown, but ${String(thrown)} was thrown`);
					}
				}
				return original.apply(this, args);
			};
		});
	}
});
