// The account domain's calls: the data export (a ZIP the browser saves) and the erasure.
import { api, authFetch } from '../api/client';

/** downloadExport fetches the caller's data archive and hands it to the browser as a download;
 *  'queued' when the archive is large and will be e-mailed as a link instead (202). */
export async function downloadExport(): Promise<'downloaded' | 'queued'> {
  return downloadArchive('/api/v1/me/export');
}

/** downloadUserExport is an admin's download of a user's archive, on the user's behalf. */
export async function downloadUserExport(userId: string): Promise<void> {
  await downloadArchive(`/api/v1/admin/users/${encodeURIComponent(userId)}/export`);
}

/** downloadArchive fetches a data archive and hands it to the browser as a download. The access
 *  token lives in memory, so a plain link cannot carry it: the archive is fetched with the token
 *  and saved through an object URL. */
async function downloadArchive(path: string): Promise<'downloaded' | 'queued'> {
  const r = await authFetch(new Request(`${globalThis.location.origin}${path}`, { headers: { Accept: 'application/zip' } }));
  if (r.status === 202) return 'queued';
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
  return 'downloaded';
}

/** deleteAccount erases the signed-in account after checking its password. */
export async function deleteAccount(password: string): Promise<void> {
  await api.DELETE('/api/v1/me', { body: { password } });
}

/** deleteUser is an admin's erasure of someone else's account (no password; logged by ids). */
export async function deleteUser(userId: string): Promise<void> {
  await api.DELETE('/api/v1/admin/users/{id}', { params: { path: { id: userId } } });
}
