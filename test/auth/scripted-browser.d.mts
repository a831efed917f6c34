/** Load a sign-in URL and post the authority's form_post page to the loopback, as a browser would. */
export function followSignIn(url: string): Promise<{ status: number; page: string }>
