/**
 * The demo's "database": a handful of well-known users, generated members
 * for every other id up to MAX_USER_ID (so load tests can ask for hundreds of
 * different users), posts, and counters. In memory, per server process.
 */
import { MAX_USER_ID, type DashboardStats, type NewPost, type Post, type User, type UserSummary } from './types.js';

type UserRecord = Omit<User, 'profileViews' | 'servedAt'>;

const people: UserRecord[] = [
	{ id: 1, name: 'Ada Lovelace', email: 'ada@analytical.example', role: 'Analyst', city: 'London', motto: 'The engine weaves algebraic patterns.', bio: 'Wrote the first published program.' },
	{ id: 2, name: 'Grace Hopper', email: 'grace@compiler.example', role: 'Rear admiral', city: 'Arlington', motto: 'It is easier to ask forgiveness than permission.', bio: 'Built the first compiler; found the first bug.' },
	{ id: 3, name: 'Alan Turing', email: 'alan@bletchley.example', role: 'Mathematician', city: 'Manchester', motto: 'We can only see a short distance ahead.', bio: 'Defined computability; asked whether machines can think.' },
	{ id: 4, name: 'Katherine Johnson', email: 'katherine@orbit.example', role: 'Flight engineer', city: 'Hampton', motto: 'Like what you do, and then you will do your best.', bio: 'Computed the trajectories of early crewed flights.' },
	{ id: 5, name: 'Edsger Dijkstra', email: 'edsger@shortest.example', role: 'Professor', city: 'Austin', motto: 'Simplicity is prerequisite for reliability.', bio: 'Found the shortest paths; considered goto harmful.' },
	{ id: 6, name: 'Barbara Liskov', email: 'barbara@substitution.example', role: 'Institute professor', city: 'Cambridge', motto: 'Subtypes must keep their promises.', bio: 'Gave data abstraction its rules.' },
	{
		// Hostile data on purpose: it must render as text, and never end the
		// payload's <script> element or start a script of its own.
		id: 7,
		name: 'Mallory </script><script>window.__qoraInjected = true</script>',
		email: 'mallory@hostile.example',
		role: 'Penetration tester <img src=x onerror="window.__qoraInjected = true">',
		city: 'Line\u2028Separator\u2029City',
		motto: 'Comments <!-- and <script> are just text to me.',
		bio: 'Breaks things \u2028 for a living.'
	},
	{ id: 8, name: 'Margaret Hamilton', email: 'margaret@apollo.example', role: 'Software lead', city: 'Boston', motto: 'There was no choice but to be pioneers.', bio: 'Named software engineering; landed it on the Moon.' }
];

const cities = ['Lisbon', 'Nairobi', 'Osaka', 'Quito', 'Tallinn', 'Perth', 'Montreal', 'Accra'];

function generatedMember(id: number): UserRecord {
	return {
		id,
		name: `Member ${id}`,
		email: `member${id}@members.example`,
		role: 'Member',
		city: cities[id % cities.length] ?? 'Nowhere',
		motto: `Member number ${id} of the Qora demo.`,
		bio: `Joined as the ${id}th member.`
	};
}

const views = new Map<number, number>();

export function listUsers(): UserSummary[] {
	return people.map(({ id, name }) => ({ id, name }));
}

/** The user's profile; every read counts as a view. `undefined` when there is no such user. */
export function readUser(id: number): User | undefined {
	if (!Number.isInteger(id) || id < 1 || id > MAX_USER_ID) return undefined;
	const record = people.find((person) => person.id === id) ?? generatedMember(id);
	const profileViews = (views.get(id) ?? 0) + 1;
	views.set(id, profileViews);
	return { ...record, profileViews, servedAt: Date.now() };
}

let nextPostId = 1;
const posts: Post[] = [];

function addPost(input: NewPost, author: string, likes = 0): Post {
	const post: Post = { id: nextPostId++, title: input.title, body: input.body, author, likes, createdAt: Date.now() };
	posts.unshift(post);
	return post;
}

addPost({ title: 'Why stale-while-revalidate', body: 'Show what you have, then fetch what is new.' }, 'Grace Hopper', 12);
addPost({ title: 'Hydration without double fetching', body: 'The server ships its cache with the page.' }, 'Ada Lovelace', 7);
addPost({ title: 'One cache per request', body: 'Never share a cache between users on the server.' }, 'Barbara Liskov', 3);

export function listPosts(): Post[] {
	return posts.map((post) => ({ ...post }));
}

export function createPost(input: NewPost): Post {
	return { ...addPost(input, 'You') };
}

/** Adds a like; `undefined` when there is no such post. */
export function likePost(id: number): Post | undefined {
	const post = posts.find((candidate) => candidate.id === id);
	if (!post) return undefined;
	post.likes++;
	return { ...post };
}

let dashboardRevision = 0;

export function dashboardStats(apiRequests: number): DashboardStats {
	dashboardRevision++;
	return {
		revision: dashboardRevision,
		serverTime: Date.now(),
		// Deterministic but lively: moves with every poll.
		activeUsers: 20 + ((dashboardRevision * 7919) % 37),
		posts: posts.length,
		likes: posts.reduce((sum, post) => sum + post.likes, 0),
		apiRequests
	};
}
