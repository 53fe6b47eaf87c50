// A toast list the client's onQueryError fills, as an app's global error toast does.
export const toasts = $state<string[]>([]);
export const toast = (message: string) => void toasts.push(message);
