// A mock Dify app on the dev server's mock Service API (demo/mock/), for tests of `api`.

export interface Logged {
  method: string;
  path: string;
  query: Record<string, string>;
  json?: Record<string, unknown>;
  form?: { fields: Record<string, string>; files: { field: string; name: string; type: string; size: number }[] };
}

/** A mock Dify app with these settings; returns its `api` base and a reader of what it received. */
export async function mockApp(config: Record<string, unknown> = {}): Promise<{ api: string; requests: () => Promise<Logged[]> }> {
  const res = await fetch('/api/_mock/apps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(config) });
  const { id, api } = (await res.json()) as { id: string; api: string };
  return { api, requests: async () => (await (await fetch(`/api/_mock/apps/${id}/requests`)).json()) as Logged[] };
}

