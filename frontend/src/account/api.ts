// The account domain's calls: the data export (a ZIP the browser saves) and the erasure.
import { api, authFetch } from '../api/client';

/** downloadExport fetches the caller's data archive and hands it to the browser as a download.
 *  The access token lives in memory, so a plain link cannot carry it: the archive is fetched
 *  with the token and saved through an object URL. */
export async function downloadExport(): Promise<void> {
  const r = await authFetch(new Request(`${globalThis.location.origin}/api/v1/me/export`, { headers: { Accept: 'application/zip' } }));
  const name = /filename="([^"]+)"/.exec(r.headers.get('Content-Disposition') ?? '')?.[1] ?? 'rapport-data.zip';
  const url = URL.createObjectURL(await r.blob());
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  } finally {
    // The click has started the download; give the browser a moment to take the blob.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** deleteAccount erases the signed-in account after checking its password. */
export async function deleteAccount(password: string): Promise<void> {
  await api.DELETE('/api/v1/me', { body: { password } });
}
