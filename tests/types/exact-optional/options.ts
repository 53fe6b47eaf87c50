// Compiled by `npm run check` with exactOptionalPropertyTypes, as some apps are: an option
// given as `undefined` (a conditional value) means "not set" at run time, so the types take it.
import { QoraClient, dehydrate, type Clock } from '../../../src/lib/index.js';
import { createMutation } from '../../../src/lib/svelte/index.js';

declare const id: string | undefined;
const maybe = <T>(value: T): T | undefined => (id ? value : undefined);

const client = new QoraClient({ defaultOptions: { staleTime: maybe(1000), retry: maybe(1) }, onError: maybe(() => {}), clock: undefined });
client.watchQuery({ key: ['k'], fetcher: () => 1, options: { staleTime: maybe(1000), enabled: maybe(true), initialData: maybe(1), refetchInterval: maybe(5000) } });
dehydrate(client, { richData: maybe(true), shouldDehydrate: maybe(() => true) });
createMutation({ mutationFn: async () => 1, retry: maybe(3), retryDelay: maybe(10), onMutate: maybe(() => 'context'), onSettled: maybe(() => {}) }, client);

// A clock whose monotonic reading depends on the runtime: undefined means there is none.
const clock: Clock = {
	now: () => Date.now(),
	monotonic: maybe(() => performance.now()),
	setTimeout: (run, ms) => setTimeout(run, ms),
	clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
};
new QoraClient({ clock });

// The resolved defaults always have a value.
const staleTime: number = client.defaultOptions.staleTime;
void staleTime;
