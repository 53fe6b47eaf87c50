/** The demo's users have ids 1 to MAX_USER_ID. */
export const MAX_USER_ID = 1000;

/** The demo API's data shapes, shared by the endpoints and the pages. */

/** A user as the list shows it. */
export interface UserSummary {
	id: number;
	name: string;
}

/** A user's profile page. */
export interface User extends UserSummary {
	email: string;
	role: string;
	city: string;
	/** The one line no other user shares. */
	motto: string;
	bio: string;
	/** Grows with every read of the profile, so a refetch shows new data. */
	profileViews: number;
	/** When the server produced this response (ms since epoch). */
	servedAt: number;
}

export interface Post {
	id: number;
	title: string;
	body: string;
	author: string;
	likes: number;
	createdAt: number;
}

export interface NewPost {
	title: string;
	body: string;
}

export interface DashboardStats {
	/** Counts dashboard responses, so every poll shows a new number. */
	revision: number;
	serverTime: number;
	activeUsers: number;
	posts: number;
	likes: number;
	apiRequests: number;
}

/** API routes that failure injection can target. */
export const ROUTE_NAMES = ['users', 'user', 'posts', 'createPost', 'likePost', 'dashboard'] as const;
export type RouteName = (typeof ROUTE_NAMES)[number];

/** Server-side knobs for tests and demos (`/api/settings`). */
export interface DemoSettings {
	/** Delay before every API response. */
	latencyMs: number;
	/** Routes that answer 503 until removed from the list. */
	failRoutes: RouteName[];
	/** The browser client's default `staleTime`, read when a session starts. */
	staleTimeMs: number;
	/** The dashboard's `refetchInterval`. */
	pollMs: number;
}

/** The part of the settings the browser needs when it creates its client. */
export type DemoConfig = Pick<DemoSettings, 'staleTimeMs' | 'pollMs'>;

/** `/api/requests`: API requests served since the last reset, by "METHOD /path". */
export interface RequestCounts {
	total: number;
	byRoute: Record<string, number>;
}
